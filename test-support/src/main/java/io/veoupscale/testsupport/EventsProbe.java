package io.veoupscale.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the events topic from its beginning, as a dashboard would, and keeps what it saw
 * so that tests can assert on the events of a batch.
 */
public final class EventsProbe implements AutoCloseable {

	private final List<BatchEvent> events = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private volatile boolean running = true;

	private EventsProbe() {
		this.reader = new Thread(this::read, "events-probe");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Starts reading the events topic of the shared broker.
	 * @return the probe
	 */
	public static EventsProbe start() {
		return new EventsProbe();
	}

	/**
	 * The events of one batch seen so far, in topic order.
	 * @param batchId the batch
	 * @return its events
	 */
	public List<BatchEvent> of(String batchId) {
		return this.events.stream().filter((event) -> event.batchId().equals(batchId)).toList();
	}

	/**
	 * The events of one batch of one type seen so far, in topic order.
	 * @param <T> the event type
	 * @param batchId the batch
	 * @param type the event type
	 * @return those events
	 */
	public <T extends BatchEvent> List<T> of(String batchId, Class<T> type) {
		return of(batchId).stream().filter(type::isInstance).map(type::cast).toList();
	}

	private void read() {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "events-probe-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(Topics.BATCH_EVENTS));
			while (this.running) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
					this.events.add(UpscaleJson.read(record.value(), BatchEvent.class));
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
