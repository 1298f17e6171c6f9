package io.veoupscale.worker.batch;

import io.veoupscale.events.BatchRequested;
import io.veoupscale.store.trace.TraceContexts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Takes batch requests off the topic into PostgreSQL. The record is committed as soon as
 * the batch is stored, so however long a batch runs, this consumer keeps polling.
 */
@Component
class BatchRequestListener {

	private static final Logger logger = LoggerFactory.getLogger(BatchRequestListener.class);

	private final BatchIntake intake;

	private final TraceContexts traces;

	BatchRequestListener(BatchIntake intake, TraceContexts traces) {
		this.intake = intake;
		this.traces = traces;
	}

	@KafkaListener(id = "batch-requests", idIsGroup = false,
			topics = "${upscale.topics.batch-requests:veo3.upscale.batch-requests}")
	void onBatchRequested(BatchRequested request, ConsumerRecord<?, ?> record) {
		try (TraceContexts.Scope trace = this.traces.receive(record)) {
			logger.debug("batch {}: request received", request.batchId());
			this.intake.accept(request);
		}
	}

}
