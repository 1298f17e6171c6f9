package io.veoupscale.worker.batch;

import io.veoupscale.events.BatchCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Takes commands on batches (cancel, pause, resume) off the command topic and applies
 * them, whether this instance holds the batch or not: the control state lives in
 * PostgreSQL, where every worker's turn transaction reads it. Its consumer group is the
 * requests listener's with {@code -commands} appended: a group of its own, so that its
 * members joining or leaving never rebalance the batch requests' consumers.
 */
@Component
class BatchCommandListener {

	private static final Logger logger = LoggerFactory.getLogger(BatchCommandListener.class);

	private final BatchCommands commands;

	BatchCommandListener(BatchCommands commands) {
		this.commands = commands;
	}

	@KafkaListener(id = "batch-commands", groupId = "${spring.kafka.consumer.group-id:upscale-worker}-commands",
			topics = "${upscale.topics.batch-commands:veo3.upscale.batch-commands}")
	void onBatchCommand(BatchCommand command, @Header(name = KafkaHeaders.RECEIVED_KEY, required = false) String key) {
		logger.debug("Batch command received with key {}", key);
		this.commands.apply(command, key);
	}

}
