package io.veoupscale.store.trace;

import java.nio.charset.StandardCharsets;

import io.micrometer.tracing.Tracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code traceparent} text kept with rows and sent in record headers, without a
 * tracer recording anything.
 */
class TraceContextsTests {

	private static final String UNSAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

	private static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	private final TraceContexts traces = TraceContexts.of(Tracer.NOOP);

	@Test
	void readsTheTraceIdOfAValidTraceparentOnly() {
		assertThat(TraceContexts.traceId(SAMPLED)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(TraceContexts.traceId(null)).isNull();
		assertThat(TraceContexts.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736")).isNull();
		assertThat(TraceContexts.traceId("00x4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isNull();
	}

	@Test
	void sendsAnUnsampledContextAsItIsWithoutASpan() {
		ProducerRecord<String, String> record = new ProducerRecord<>("topic", "key", "value");

		assertThat(this.traces.send(record, UNSAMPLED)).isNull();

		assertThat(new String(record.headers().lastHeader(TraceContexts.HEADER).value(), StandardCharsets.US_ASCII))
			.isEqualTo(UNSAMPLED);
	}

	@Test
	void sendsNoHeaderWithoutAContext() {
		ProducerRecord<String, String> record = new ProducerRecord<>("topic", "key", "value");

		assertThat(this.traces.send(record, null)).isNull();
		assertThat(this.traces.send(record, "not a traceparent")).isNull();

		assertThat(record.headers().lastHeader(TraceContexts.HEADER)).isNull();
	}

	@Test
	void knowsNoCurrentContextWithoutATracer() {
		ConsumerRecord<String, String> record = new ConsumerRecord<>("topic", 0, 0, "key", "value");
		record.headers().add(TraceContexts.HEADER, SAMPLED.getBytes(StandardCharsets.US_ASCII));

		try (TraceContexts.Scope scope = this.traces.receive(record)) {
			assertThat(this.traces.current()).isNull();
			assertThat(this.traces.currentTraceId()).isNull();
		}
	}

}
