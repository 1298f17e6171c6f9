package io.veoupscale.gateway.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;

import io.veoupscale.events.UpscaleJson;
import io.veoupscale.store.outbox.BatchEventPublisher;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.MessageListener;

/**
 * Publishes every record of the events topic as a {@link LiveEvent} in this process (to
 * {@code @EventListener}s: the SSE streams and the sync requests), from the moment the
 * instance started: history is the event log's to replay. The container that calls it
 * reads the topic in a consumer group of this instance's own (see
 * {@link LiveEventsConfiguration}), so every instance sees every event, once.
 */
class LiveEventConsumer implements MessageListener<String, String>, ConsumerAwareRebalanceListener {

	private static final Logger logger = LoggerFactory.getLogger(LiveEventConsumer.class);

	private final ApplicationEventPublisher publisher;

	private volatile boolean assigned;

	LiveEventConsumer(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/**
	 * Whether the events topic's partitions are assigned and positioned, so that events
	 * published from now on are seen.
	 */
	boolean isAssigned() {
		return this.assigned;
	}

	/**
	 * Positions the first assignment at the end of each partition, looked up at once so
	 * that no event published after this call is skipped. Partitions assigned later (the
	 * topic grew) have no position and start from their beginning, as they hold only
	 * events published since; partitions kept across a rebalance keep their position (the
	 * cooperative assignor revokes none).
	 */
	@Override
	public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		if (!this.assigned) {
			consumer.seekToEnd(partitions);
			partitions.forEach(consumer::position);
			this.assigned = true;
			logger.info("Reading {} partition(s) of the events topic for live events", partitions.size());
		}
	}

	@Override
	public void onMessage(ConsumerRecord<String, String> record) {
		LiveEvent event = toEvent(record);
		if (event == null) {
			return;
		}
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			// A gap is replayed from the event log when the client reconnects.
			logger.warn("A live event listener failed on event {} of batch {}", event.seq(), event.batchId(), ex);
		}
	}

	private static @Nullable LiveEvent toEvent(ConsumerRecord<String, String> record) {
		if (record.value() == null) {
			return null;
		}
		try {
			JsonNode payload = UpscaleJson.mapper().readTree(record.value());
			String type = payload.path("type").asString("");
			String batchId = (record.key() != null) ? record.key() : payload.path("batchId").asString("");
			if (type.isEmpty() || batchId.isEmpty()) {
				return null;
			}
			return new LiveEvent(sequence(record), batchId, type, record.value(), occurredAt(payload));
		}
		catch (JacksonException ex) {
			logger.warn("Skipping a record of the events topic that is not JSON (partition {}, offset {})",
					record.partition(), record.offset());
			return null;
		}
	}

	private static @Nullable Instant occurredAt(JsonNode payload) {
		String occurredAt = payload.path("occurredAt").asString("");
		try {
			return occurredAt.isEmpty() ? null : Instant.parse(occurredAt);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static @Nullable Long sequence(ConsumerRecord<String, String> record) {
		Header header = record.headers().lastHeader(BatchEventPublisher.SEQUENCE_HEADER);
		if (header == null || header.value() == null) {
			return null;
		}
		try {
			return Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII).trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
