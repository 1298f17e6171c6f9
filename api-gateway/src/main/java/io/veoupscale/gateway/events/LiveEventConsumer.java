package io.veoupscale.gateway.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.veoupscale.events.UpscaleJson;
import io.veoupscale.store.TopicProperties;
import io.veoupscale.store.outbox.BatchEventPublisher;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.TopicPartitionOffset.SeekPosition;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Reads every partition of the events topic from its end, without a consumer group, so
 * that every gateway instance sees every event (an SSE client or a sync request may be
 * held by any instance); hands each event, once, to the {@link LiveEventListener}s.
 * <p>
 * The reading is a Spring Kafka listener container with manually assigned partitions;
 * this class only finds the topic's partitions (the topic may appear, or grow, after
 * start) and runs a container for them.
 */
@Component
class LiveEventConsumer implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(LiveEventConsumer.class);

	private static final String CLIENT_ID = "api-gateway-live-events";

	private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(1);

	private static final int RECENT_SEQUENCES = 10_000;

	private final ConsumerFactory<String, String> consumers;

	private final TopicProperties topics;

	private final EventStreamProperties properties;

	private final ObjectProvider<LiveEventListener> listeners;

	private final String instance = UUID.randomUUID().toString().substring(0, 8);

	private final Set<Long> recent = new LinkedHashSet<>();

	/**
	 * The next offset to read per partition, to carry positions over to a new container.
	 */
	private final Map<Integer, Long> positions = new ConcurrentHashMap<>();

	private volatile Set<Integer> partitions = Set.of();

	private volatile boolean assigned;

	private volatile @Nullable KafkaMessageListenerContainer<String, String> container;

	private @Nullable ThreadPoolTaskScheduler discovery;

	private long discoveredAt;

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
	public synchronized void start() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("live-events-");
		scheduler.setDaemon(true);
		scheduler.initialize();
		scheduler.scheduleWithFixedDelay(this::discoverPartitions, DISCOVERY_INTERVAL);
		this.discovery = scheduler;
	}

	@Override
	public synchronized void stop() {
		ThreadPoolTaskScheduler scheduler = this.discovery;
		if (scheduler != null) {
			scheduler.shutdown();
			this.discovery = null;
		}
		stopContainer();
		this.partitions = Set.of();
		this.positions.clear();
	}

	@Override
	public synchronized boolean isRunning() {
		return this.discovery != null;
	}

	/**
	 * Looks up the topic's partitions until it has some, then every
	 * {@code partitionRefreshInterval}; runs a new container when they changed.
	 */
	private void discoverPartitions() {
		if (!this.partitions.isEmpty()
				&& System.nanoTime() - this.discoveredAt < this.properties.partitionRefreshInterval().toNanos()) {
			return;
		}
		Set<Integer> found;
		try {
			found = partitionsOfTopic();
		}
		catch (InterruptException ex) {
			// stop() shuts the lookup down
			Thread.currentThread().interrupt();
			return;
		}
		catch (KafkaException ex) {
			logger.warn("Looking up the partitions of {} failed; retrying: {}", this.topics.batchEvents(),
					ex.toString());
			return;
		}
		this.discoveredAt = System.nanoTime();
		if (found.isEmpty() || found.equals(this.partitions)) {
			return;
		}
		synchronized (this) {
			if (this.discovery != null) {
				runContainer(found);
			}
		}
	}

	private Set<Integer> partitionsOfTopic() {
		try (Consumer<String, String> metadata = this.consumers.createConsumer(null, CLIENT_ID + "-metadata",
				"-" + this.instance, noCommits())) {
			List<PartitionInfo> infos = metadata.partitionsFor(this.topics.batchEvents(), METADATA_TIMEOUT);
			Set<Integer> found = new TreeSet<>();
			if (infos != null) {
				infos.forEach((info) -> found.add(info.partition()));
			}
			return found;
		}
	}

	private void runContainer(Set<Integer> found) {
		Set<Integer> previous = this.partitions;
		stopContainer();
		List<TopicPartitionOffset> offsets = found.stream().map((partition) -> startAt(partition, previous)).toList();
		ContainerProperties containerProperties = new ContainerProperties(offsets.toArray(TopicPartitionOffset[]::new));
		containerProperties.setClientId(CLIENT_ID + "-" + this.instance);
		// No group: nothing to commit, every instance reads everything.
		containerProperties.setAckMode(ContainerProperties.AckMode.MANUAL);
		containerProperties.setPollTimeout(this.properties.pollTimeout().toMillis());
		containerProperties.setKafkaConsumerProperties(noCommits());
		containerProperties.setMessageListener(new Reader());
		KafkaMessageListenerContainer<String, String> started = new KafkaMessageListenerContainer<>(this.consumers,
				containerProperties);
		started.setBeanName("liveEvents");
		// A listener that failed was logged by dispatch(); a gap is replayed from the
		// event log.
		started.setCommonErrorHandler(new CommonLoggingErrorHandler());
		started.start();
		this.container = started;
		this.partitions = Set.copyOf(found);
		logger.info("Reading {} partitions of {} for live events", found.size(), this.topics.batchEvents());
	}

	/**
	 * Where a partition is read from: at the start, the end; a partition read before,
	 * where its reading stopped; a partition added while running, its beginning, as it
	 * holds only events published since.
	 */
	private TopicPartitionOffset startAt(int partition, Set<Integer> previous) {
		String topic = this.topics.batchEvents();
		Long position = this.positions.get(partition);
		if (position != null) {
			return new TopicPartitionOffset(topic, partition, position);
		}
		if (previous.isEmpty() || previous.contains(partition)) {
			return new TopicPartitionOffset(topic, partition, SeekPosition.END);
		}
		return new TopicPartitionOffset(topic, partition, SeekPosition.BEGINNING);
	}

	private void stopContainer() {
		KafkaMessageListenerContainer<String, String> current = this.container;
		if (current != null) {
			current.stop();
			this.container = null;
		}
		this.assigned = false;
	}

	private static Properties noCommits() {
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
		return overrides;
	}

	private void dispatch(ConsumerRecord<String, String> record) {
		this.positions.put(record.partition(), record.offset() + 1);
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
	 * Drops an event seen twice: the outbox publishes each event once, but a consumer
	 * that is reassigned a partition may read records again.
	 */
	private synchronized boolean firstSighting(@Nullable Long seq) {
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

	/**
	 * The container's listener. With manual assignment the container calls
	 * {@link #onPartitionsAssigned} once it has sought every partition, with their
	 * positions: from then on every new event is seen.
	 */
	private final class Reader implements MessageListener<String, String>, ConsumerSeekAware {

		@Override
		public void onMessage(ConsumerRecord<String, String> record) {
			dispatch(record);
		}

		@Override
		public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
			assignments.forEach(
					(partition, position) -> LiveEventConsumer.this.positions.put(partition.partition(), position));
			LiveEventConsumer.this.assigned = true;
		}

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			LiveEventConsumer.this.assigned = false;
		}

	}

}
