package io.veoupscale.store.trace;

import java.nio.charset.StandardCharsets;

import io.micrometer.tracing.CurrentTraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Writes the current trace context as a W3C {@code traceparent} to keep with a row, and
 * makes a kept one current again, so that work done later (a batch's starts, an outbox
 * row's send, an upscale's checks) joins the trace that caused it. A context kept is a
 * parent, never a span of its own: restoring one costs a thread-local, and nothing is
 * recorded unless a span is started under it. Without a tracer both are no-ops.
 * <p>
 * Kafka records carry the context in their {@value #HEADER} header, set and read here
 * rather than by Spring Kafka's observation of every send and receive: a send or receive
 * span is made only for a sampled trace, and an unsampled context travels as it is, so
 * the default (sampling 0) costs a header and no span on the hot paths.
 */
@Component
public class TraceContexts {

	private static final Scope NO_SCOPE = () -> {
	};

	private static final int LENGTH = 55;

	/** The Kafka header (and HTTP header) carrying the W3C trace context. */
	public static final String HEADER = "traceparent";

	private final Tracer tracer;

	@Autowired
	TraceContexts(ObjectProvider<Tracer> tracer) {
		this(tracer.getIfAvailable(() -> Tracer.NOOP));
	}

	private TraceContexts(Tracer tracer) {
		this.tracer = tracer;
	}

	/**
	 * A helper on the given tracer.
	 * @param tracer the tracer
	 * @return the helper
	 */
	public static TraceContexts of(Tracer tracer) {
		return new TraceContexts(tracer);
	}

	/**
	 * The current context as a {@code traceparent}.
	 * @return {@code 00-<trace id>-<span id>-<flags>}, or null if no trace is current
	 */
	public @Nullable String current() {
		Span span = this.tracer.currentSpan();
		return (span != null) ? traceparent(span.context()) : null;
	}

	/**
	 * Makes a kept context current until the scope closes; spans started meanwhile are
	 * its children.
	 * @param traceparent a {@code traceparent}, or null for none (a no-op)
	 * @return the scope to close
	 */
	public Scope open(@Nullable String traceparent) {
		if (!isValid(traceparent) || this.tracer == Tracer.NOOP) {
			return NO_SCOPE;
		}
		CurrentTraceContext.Scope scope = this.tracer.currentTraceContext().newScope(context(traceparent));
		return scope::close;
	}

	private TraceContext context(String traceparent) {
		return this.tracer.traceContextBuilder()
			.traceId(traceparent.substring(3, 35))
			.spanId(traceparent.substring(36, 52))
			.sampled(isSampled(traceparent))
			.build();
	}

	private static boolean isSampled(String traceparent) {
		return (Character.digit(traceparent.charAt(54), 16) & 1) == 1;
	}

	/**
	 * Sets a record's {@value #HEADER} header to the context a consumer continues: a send
	 * span's, child of the given context, when that is sampled; the given context itself
	 * otherwise.
	 * @param record the record to send
	 * @param parent the context of the work that sends it, or null for none
	 * @return the send span, to end once the record is handed to the producer; null when
	 * none was started
	 */
	public @Nullable Span send(ProducerRecord<?, ?> record, @Nullable String parent) {
		if (!isValid(parent)) {
			return null;
		}
		if (!isSampled(parent) || this.tracer == Tracer.NOOP) {
			record.headers().add(HEADER, parent.getBytes(StandardCharsets.US_ASCII));
			return null;
		}
		Span span = this.tracer.spanBuilder()
			.setParent(context(parent))
			.name(record.topic() + " send")
			.kind(Span.Kind.PRODUCER)
			.tag("messaging.system", "kafka")
			.tag("messaging.destination.name", record.topic())
			.start();
		String sent = traceparent(span.context());
		record.headers().add(HEADER, ((sent != null) ? sent : parent).getBytes(StandardCharsets.US_ASCII));
		return span;
	}

	/**
	 * Continues the trace of a received record until the scope closes: a receive span,
	 * child of the record's context, when that is sampled; the record's context itself
	 * when it is not (so that what the work keeps, and its log lines, carry the trace); a
	 * receive span starting a trace when the record has no context.
	 * @param record the record
	 * @return the scope to close when the record's work is done
	 */
	public Scope receive(ConsumerRecord<?, ?> record) {
		Header header = record.headers().lastHeader(HEADER);
		String parent = (header != null && header.value() != null)
				? new String(header.value(), StandardCharsets.US_ASCII) : null;
		String topic = record.topic();
		if (this.tracer == Tracer.NOOP || (isValid(parent) && !isSampled(parent))) {
			return open(parent);
		}
		Span.Builder builder = this.tracer.spanBuilder();
		if (isValid(parent)) {
			builder.setParent(context(parent));
		}
		else {
			// A record from a producer that sent no context starts a trace of its own
			// (recorded as the sampler decides), so that its work has a trace id too.
			builder.setNoParent();
		}
		Span span = builder.name(topic + " receive")
			.kind(Span.Kind.CONSUMER)
			.tag("messaging.system", "kafka")
			.tag("messaging.destination.name", topic)
			.start();
		Tracer.SpanInScope scope = this.tracer.withSpan(span);
		return () -> {
			scope.close();
			span.end();
		};
	}

	/**
	 * The trace id of a {@code traceparent}.
	 * @param traceparent a {@code traceparent}, or null
	 * @return its 32 lowercase hex digits, or null
	 */
	public static @Nullable String traceId(@Nullable String traceparent) {
		return isValid(traceparent) ? traceparent.substring(3, 35) : null;
	}

	/**
	 * The trace id of the current context.
	 * @return its 32 lowercase hex digits, or null if no trace is current
	 */
	public @Nullable String currentTraceId() {
		Span span = this.tracer.currentSpan();
		if (span == null) {
			return null;
		}
		String traceId = span.context().traceId();
		return (traceId.length() == 32) ? traceId : null;
	}

	static @Nullable String traceparent(TraceContext context) {
		String traceId = context.traceId();
		String spanId = context.spanId();
		if (traceId.length() != 32 || spanId.length() != 16) {
			return null;
		}
		return new StringBuilder(LENGTH).append("00-")
			.append(traceId)
			.append('-')
			.append(spanId)
			.append(Boolean.TRUE.equals(context.sampled()) ? "-01" : "-00")
			.toString();
	}

	static boolean isValid(@Nullable String traceparent) {
		return traceparent != null && traceparent.length() == LENGTH && traceparent.charAt(2) == '-'
				&& traceparent.charAt(35) == '-' && traceparent.charAt(52) == '-';
	}

	/**
	 * A restored context's scope.
	 */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
