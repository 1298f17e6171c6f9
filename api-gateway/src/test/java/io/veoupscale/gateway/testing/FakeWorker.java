package io.veoupscale.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plays the upscale worker for gateway tests: consumes the requests topic and writes
 * batches, items, upscales and their events as the worker does. An item whose
 * sourceGenerationId contains {@code fail} fails validation; one that contains
 * {@code hang} is never finished, so its batch never completes.
 */
public class FakeWorker implements SmartLifecycle {

	/** The error of an item that fails. */
	public static final String FAILURE = "Source video must be completed before upscaling";

	/** The profile fake upscales run under. */
	public static final String PROFILE = "fake-worker-profile";

	private final ConsumerFactory<String, String> consumers;

	private final TopicProperties topics;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final BatchEventPublisher events;

	private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

	private volatile boolean running;

	private volatile @Nullable Consumer<String, String> consumer;

	private @Nullable Thread thread;

	FakeWorker(ConsumerFactory<String, String> consumers, TopicProperties topics, JdbcClient jdbc,
			TransactionTemplate transactions, BatchEventPublisher events) {
		this.consumers = consumers;
		this.topics = topics;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.events = events;
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

	@Override
	public void start() {
		this.running = true;
		Thread reader = new Thread(this::run, "fake-worker");
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
		overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
		try (Consumer<String, String> kafka = this.consumers.createConsumer("fake-worker-" + UUID.randomUUID(),
				"fake-worker", null, overrides)) {
			this.consumer = kafka;
			kafka.subscribe(List.of(this.topics.batchRequests()));
			while (this.running) {
				for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(100))) {
					this.deliveries.computeIfAbsent(record.key(), (key) -> new AtomicInteger()).incrementAndGet();
					process(UpscaleJson.read(record.value(), BatchRequested.class));
				}
			}
		}
		catch (WakeupException ex) {
			// stopping
		}
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
