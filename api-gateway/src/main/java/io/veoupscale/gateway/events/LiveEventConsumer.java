package io.veoupscale.gateway.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.veoupscale.events.UpscaleJson;
import io.veoupscale.store.TopicProperties;
import io.veoupscale.store.outbox.BatchEventPublisher;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads every partition of the events topic from its end, without a consumer group, so
 * that every gateway instance sees every event (an SSE client or a sync request may be
 * held by any instance); hands each event, once, to the {@link LiveEventListener}s.
 */
@Component
class LiveEventConsumer implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(LiveEventConsumer.class);

	private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);

	private static final int RECENT_SEQUENCES = 10_000;

	private final ConsumerFactory<String, String> consumers;

	private final TopicProperties topics;

	private final EventStreamProperties properties;

	private final ObjectProvider<LiveEventListener> listeners;

	private final Set<Long> recent = new LinkedHashSet<>();

	private volatile boolean running;

	private volatile boolean assigned;

	private volatile @Nullable Consumer<String, String> consumer;

	private @Nullable Thread thread;

	LiveEventConsumer(ConsumerFactory<String, String> consumers, TopicProperties topics,
			EventStreamProperties properties, ObjectProvider<LiveEventListener> listeners) {
		this.consumers = consumers;
		this.topics = topics;
		this.properties = properties;
		this.listeners = listeners;
	}

	/**
	 * Whether every partition of the events topic is assigned and positioned, so that
	 * events published from now on are seen.
	 */
	boolean isAssigned() {
		return this.assigned;
	}

	@Override
	public void start() {
		this.running = true;
		Thread reader = new Thread(this::run, "live-events");
		reader.setDaemon(true);
		this.thread = reader;
		reader.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Consumer<String, String> current = this.consumer;
		if (current != null) {
			current.wakeup();
		}
		Thread reader = this.thread;
		if (reader != null) {
			try {
				reader.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void run() {
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
		try (Consumer<String, String> kafka = this.consumers.createConsumer(null, "api-gateway-live-events",
				"-" + UUID.randomUUID().toString().substring(0, 8), overrides)) {
			this.consumer = kafka;
			Set<TopicPartition> partitions = Set.of();
			boolean refreshDue = true;
			long refreshedAt = System.nanoTime();
			while (this.running) {
				try {
					if (refreshDue || System.nanoTime() - refreshedAt >= this.properties.partitionRefreshInterval()
						.toNanos()) {
						partitions = refreshAssignment(kafka, partitions);
						refreshedAt = System.nanoTime();
						refreshDue = partitions.isEmpty();
					}
					if (partitions.isEmpty()) {
						pause(Duration.ofSeconds(1));
						continue;
					}
					for (ConsumerRecord<String, String> record : kafka.poll(this.properties.pollTimeout())) {
						dispatch(record);
					}
				}
				catch (WakeupException ex) {
					// stop() was called
				}
				catch (KafkaException ex) {
					logger.warn("Reading the events topic failed; retrying: {}", ex.toString());
					refreshDue = true;
					pause(Duration.ofSeconds(1));
				}
			}
		}
		catch (RuntimeException ex) {
			logger.error("The live events consumer stopped", ex);
		}
		finally {
			this.assigned = false;
			this.consumer = null;
		}
	}

	private Set<TopicPartition> refreshAssignment(Consumer<String, String> kafka, Set<TopicPartition> current) {
		List<PartitionInfo> infos = kafka.partitionsFor(this.topics.batchEvents(), METADATA_TIMEOUT);
		Set<TopicPartition> found = new HashSet<>();
		for (PartitionInfo info : infos) {
			found.add(new TopicPartition(info.topic(), info.partition()));
		}
		if (found.isEmpty() || found.equals(current)) {
			return current;
		}
		Set<TopicPartition> added = new HashSet<>(found);
		added.removeAll(current);
		kafka.assign(found);
		if (current.isEmpty()) {
			kafka.seekToEnd(added);
		}
		else {
			// Partitions added while running hold only events published since.
			kafka.seekToBeginning(added);
		}
		for (TopicPartition partition : added) {
			kafka.position(partition);
		}
		this.assigned = true;
		logger.info("Reading {} partitions of {} for live events", found.size(), this.topics.batchEvents());
		return found;
	}

	private void dispatch(ConsumerRecord<String, String> record) {
		LiveEvent event = toEvent(record);
		if (event == null || !firstSighting(event.seq())) {
			return;
		}
		for (LiveEventListener listener : this.listeners) {
			try {
				listener.onEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A live event listener failed on event {} of batch {}", event.seq(), event.batchId(), ex);
			}
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
			return new LiveEvent(sequence(record), batchId, type, record.value());
		}
		catch (JacksonException ex) {
			logger.warn("Skipping a record of the events topic that is not JSON (partition {}, offset {})",
					record.partition(), record.offset());
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

	/**
	 * Drops an event relayed twice (the outbox delivers at least once).
	 */
	private boolean firstSighting(@Nullable Long seq) {
		if (seq == null) {
			return true;
		}
		if (!this.recent.add(seq)) {
			return false;
		}
		if (this.recent.size() > RECENT_SEQUENCES) {
			this.recent.remove(this.recent.iterator().next());
		}
		return true;
	}

	private static void pause(Duration duration) {
		LockSupport.parkNanos(TimeUnit.NANOSECONDS.convert(duration));
	}

}
