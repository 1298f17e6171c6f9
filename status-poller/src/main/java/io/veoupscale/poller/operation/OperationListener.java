package io.veoupscale.poller.operation;

import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleInitiated;
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

	OperationListener(OperationRepository operations) {
		this.operations = operations;
	}

	@KafkaListener(id = "operations", idIsGroup = false,
			topics = "${upscale.topics.operations:" + Topics.OPERATIONS + "}")
	void onUpscaleInitiated(UpscaleInitiated initiated) {
		boolean tracked = this.operations.track(initiated);
		logger.debug("upscale {}: {}", initiated.upscaleId(), tracked ? "tracking" : "already tracked");
	}

}
