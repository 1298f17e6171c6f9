package io.veoupscale.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.UpscaleJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning for the whole run, across broker restarts (the
 * consumer reconnects by itself): the batch events by batch, or the keys of a dead-letter
 * topic.
 */
final class TopicReader implements AutoCloseable {

	private final Map<String, List<BatchEvent>> eventsByBatch = new ConcurrentHashMap<>();

	private final List<String> keys = new CopyOnWriteArrayList<>();

	private final AtomicLong unreadable = new AtomicLong();

	private final boolean events;

	private final Thread reader;

	private volatile boolean running = true;

	private TopicReader(String bootstrapServers, String topic, boolean events) {
		this.events = events;
		this.reader = new Thread(() -> read(bootstrapServers, topic), "reader-" + topic);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Reads batch events.
	 * @param bootstrapServers the broker
	 * @param topic the events topic
	 * @return the reader
	 */
	static TopicReader events(String bootstrapServers, String topic) {
		return new TopicReader(bootstrapServers, topic, true);
	}

	/**
	 * Reads record keys.
	 * @param bootstrapServers the broker
	 * @param topic the topic
	 * @return the reader
	 */
	static TopicReader keys(String bootstrapServers, String topic) {
		return new TopicReader(bootstrapServers, topic, false);
	}

	/**
	 * The events of one batch seen so far, in topic order.
	 * @param batchId the batch
	 * @return its events
	 */
	List<BatchEvent> of(String batchId) {
		return List.copyOf(this.eventsByBatch.getOrDefault(batchId, List.of()));
	}

	/**
	 * The events of one batch of one type seen so far.
	 * @param <T> the type
	 * @param batchId the batch
	 * @param type the type
	 * @return the events
	 */
	<T extends BatchEvent> List<T> of(String batchId, Class<T> type) {
		return of(batchId).stream().filter(type::isInstance).map(type::cast).toList();
	}

	/**
	 * Keys read so far that start with a prefix.
	 * @param prefix the prefix
	 * @return how many
	 */
	long keysStartingWith(String prefix) {
		return this.keys.stream().filter((key) -> key != null && key.startsWith(prefix)).distinct().count();
	}

	long unreadable() {
		return this.unreadable.get();
	}

	private void read(String bootstrapServers, String topic) {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-suite-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			while (this.running) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
					if (this.events) {
						try {
							BatchEvent event = UpscaleJson.read(record.value(), BatchEvent.class);
							this.eventsByBatch.computeIfAbsent(event.batchId(), (id) -> new CopyOnWriteArrayList<>())
								.add(event);
						}
						catch (RuntimeException ex) {
							this.unreadable.incrementAndGet();
						}
					}
					else {
						this.keys.add(record.key());
					}
				}
			}
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.reader.join(5_000);
	}

}
