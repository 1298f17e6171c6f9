package io.veoupscale.poller.operation;

import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.store.trace.TraceContexts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Takes initiated upscales off the operations topic into the poll schedule. Records that
 * cannot be taken are {@link OperationsTopicConfiguration}'s.
 */
@Component
class OperationListener {

	private static final Logger logger = LoggerFactory.getLogger(OperationListener.class);

	private final OperationRepository operations;

	private final TraceContexts traces;

	OperationListener(OperationRepository operations, TraceContexts traces) {
		this.operations = operations;
		this.traces = traces;
	}

	@KafkaListener(id = "operations", idIsGroup = false,
			topics = "${upscale.topics.operations:" + Topics.OPERATIONS + "}")
	void onUpscaleInitiated(UpscaleInitiated initiated, ConsumerRecord<?, ?> record) {
		try (TraceContexts.Scope trace = this.traces.receive(record)) {
			boolean tracked = this.operations.track(initiated);
			logger.debug("upscale {}: {}", initiated.upscaleId(), tracked ? "tracking" : "already tracked");
		}
	}

}
