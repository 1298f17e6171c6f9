package io.veoupscale.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.store.TopicProperties;
import io.veoupscale.store.outbox.BatchEventPublisher;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.transaction.support.TransactionTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Plays the upscale worker for gateway tests: consumes the requests topic (a Spring Kafka
 * listener container in a group of its own) and writes batches, items, upscales and their
 * events as the worker does. An item whose sourceGenerationId contains {@code fail} fails
 * validation; one that contains {@code hang} is never finished, so its batch never
 * completes. {@link #holdIntake()} stands for workers that have not received a batch yet.
 */
public class FakeWorker implements SmartLifecycle {

	/** The error of an item that fails. */
	public static final String FAILURE = "Source video must be completed before upscaling";

	/** The profile fake upscales run under. */
	public static final String PROFILE = "fake-worker-profile";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final BatchEventPublisher events;

	private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

	private final KafkaMessageListenerContainer<String, String> container;

	FakeWorker(ConsumerFactory<String, String> consumers, TopicProperties topics, JdbcClient jdbc,
			TransactionTemplate transactions, BatchEventPublisher events) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.events = events;
		ContainerProperties properties = new ContainerProperties(topics.batchRequests());
		properties.setGroupId("fake-worker-" + UUID.randomUUID());
		properties.setClientId("fake-worker");
		properties.setPollTimeout(100);
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.setKafkaConsumerProperties(overrides);
		properties.setMessageListener((MessageListener<String, String>) this::receive);
		this.container = new KafkaMessageListenerContainer<>(consumers, properties);
		this.container.setBeanName("fake-worker");
	}

	/**
	 * How many times a batch was delivered on the requests topic.
	 * @param batchId the batch
	 * @return the count
	 */
	public int deliveries(String batchId) {
		AtomicInteger count = this.deliveries.get(batchId);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Stops taking batches off the requests topic, as if no worker were running; returns
	 * once the consumer is paused, so that a batch published from now on waits in Kafka.
	 * Always follow with {@link #resumeIntake()}.
	 */
	public void holdIntake() {
		this.container.pause();
		await().atMost(Duration.ofSeconds(10)).until(this.container::isContainerPaused);
	}

	/**
	 * Takes batches again, starting with those that waited.
	 */
	public void resumeIntake() {
		this.container.resume();
	}

	@Override
	public void start() {
		this.container.start();
	}

	@Override
	public void stop() {
		this.container.stop();
	}

	@Override
	public boolean isRunning() {
		return this.container.isRunning();
	}

	private void receive(ConsumerRecord<String, String> record) {
		this.deliveries.computeIfAbsent(record.key(), (key) -> new AtomicInteger()).incrementAndGet();
		process(UpscaleJson.read(record.value(), BatchRequested.class));
	}

	private void process(BatchRequested command) {
		String batchId = command.batchId();
		int total = command.requests().size();
		boolean fresh = Boolean.TRUE.equals(this.transactions.execute((status) -> {
			Instant now = Instant.now();
			int inserted = this.jdbc.sql("""
					insert into batches (id, total, delay_ms, status, requested_at, received_at, started_at)
					values (:id, :total, :delayMs, 'running', :requestedAt, :now, :now)
					on conflict (id) do nothing
					""")
				.param("id", batchId)
				.param("total", total)
				.param("delayMs", command.delayMsOrDefault())
				.param("requestedAt", Timestamp.from((command.requestedAt() != null) ? command.requestedAt() : now))
				.param("now", Timestamp.from(now))
				.update();
			if (inserted == 0) {
				return false;
			}
			for (int i = 0; i < total; i++) {
				UpscaleRequest request = command.requests().get(i);
				this.jdbc
					.sql("""
							insert into batch_items (batch_id, item_index, source_generation_id, model, scene_id, upscale_id)
							values (:batchId, :index, :sourceId, :model, cast(:sceneId as uuid), :upscaleId)
							""")
					.param("batchId", batchId)
					.param("index", i + 1)
					.param("sourceId", request.sourceGenerationId())
					.param("model", request.modelOrDefault())
					.param("sceneId", sceneId(batchId, i + 1))
					.param("upscaleId", upscaleId(batchId, i + 1))
					.update();
			}
			this.events.publish(new BatchStarted(batchId, total,
					command.requests().stream().map(UpscaleRequest::sourceGenerationId).toList(),
					UUID.randomUUID().toString(), now));
			return true;
		}));
		if (!fresh) {
			return;
		}
		int succeeded = 0;
		for (int i = 0; i < total; i++) {
			UpscaleRequest request = command.requests().get(i);
			if (request.sourceGenerationId().contains("hang")) {
				return;
			}
			int index = i + 1;
			boolean fails = request.sourceGenerationId().contains("fail");
			this.transactions.executeWithoutResult((status) -> {
				if (fails) {
					fail(batchId, index, total, request);
				}
				else {
					start(batchId, index, total, request);
				}
			});
			succeeded += fails ? 0 : 1;
		}
		int successCount = succeeded;
		this.transactions.executeWithoutResult((status) -> {
			Instant now = Instant.now();
			this.jdbc.sql("update batches set status = 'completed', completed_at = :now where id = :id")
				.param("now", Timestamp.from(now))
				.param("id", batchId)
				.update();
			this.events.publish(new BatchCompleted(batchId, successCount, total - successCount, total,
					UUID.randomUUID().toString(), now));
		});
	}

	private void fail(String batchId, int index, int total, UpscaleRequest request) {
		Instant now = Instant.now();
		this.jdbc.sql("""
				update batch_items set status = 'failed', error = :error, finished_at = :now
				where batch_id = :batchId and item_index = :index
				""")
			.param("error", FAILURE)
			.param("now", Timestamp.from(now))
			.param("batchId", batchId)
			.param("index", index)
			.update();
		this.jdbc.sql("update batches set failure_count = failure_count + 1 where id = :id")
			.param("id", batchId)
			.update();
		this.events.publish(ItemProgressed.failed(batchId, index, total, request.sourceGenerationId(), FAILURE,
				UUID.randomUUID().toString(), now));
	}

	private void start(String batchId, int index, int total, UpscaleRequest request) {
		Instant now = Instant.now();
		String upscaleId = upscaleId(batchId, index);
		String sceneId = sceneId(batchId, index);
		String operationName = "operations/" + upscaleId;
		this.jdbc.sql("""
				insert into upscales (id, batch_id, item_index, source_generation_id, profile_id, model, scene_id,
				                      operation_name, status)
				values (:id, :batchId, :index, :sourceId, :profileId, :model, cast(:sceneId as uuid), :operationName,
				        'pending')
				""")
			.param("id", upscaleId)
			.param("batchId", batchId)
			.param("index", index)
			.param("sourceId", request.sourceGenerationId())
			.param("profileId", PROFILE)
			.param("model", request.modelOrDefault())
			.param("sceneId", sceneId)
			.param("operationName", operationName)
			.update();
		this.jdbc.sql("""
				update batch_items set status = 'started', finished_at = :now
				where batch_id = :batchId and item_index = :index
				""").param("now", Timestamp.from(now)).param("batchId", batchId).param("index", index).update();
		this.jdbc.sql("update batches set success_count = success_count + 1 where id = :id")
			.param("id", batchId)
			.update();
		this.events.publish(ItemProgressed.succeeded(batchId, index, total, request.sourceGenerationId(), upscaleId,
				sceneId, operationName, UUID.randomUUID().toString(), now));
	}

	/**
	 * The scene id the fake worker gives an item.
	 * @param batchId the batch
	 * @param index the 1-based index
	 * @return the scene id
	 */
	public static String sceneId(String batchId, int index) {
		return UUID.nameUUIDFromBytes(("scene:" + batchId + ":" + index).getBytes(StandardCharsets.UTF_8)).toString();
	}

	/**
	 * The upscale id the fake worker gives an item.
	 * @param batchId the batch
	 * @param index the 1-based index
	 * @return the upscale id
	 */
	public static String upscaleId(String batchId, int index) {
		return UUID.nameUUIDFromBytes(("upscale:" + batchId + ":" + index).getBytes(StandardCharsets.UTF_8)).toString();
	}

}
