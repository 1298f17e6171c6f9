package io.veoupscale.worker;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.flow.AspectRatio;
import io.veoupscale.simulator.FlowSimulatorApplication;
import io.veoupscale.simulator.SimulatedAccounts;
import io.veoupscale.store.generation.GenerationRepository;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.ProfileRepository;
import io.veoupscale.testsupport.Database;
import io.veoupscale.testsupport.ServiceProcess;
import io.veoupscale.testsupport.Services;
import io.veoupscale.testsupport.SimulatorAdmin;
import io.veoupscale.testsupport.TestInfrastructure;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * A Flow simulator and any number of worker instances in this JVM, each in its own Spring
 * context as in production, on the shared broker and database; plus what tests need to
 * seed data and send batch requests.
 */
final class WorkerTestSystem implements AutoCloseable {

	/**
	 * Worker settings that keep tests fast: short leases, quick retries, no profile
	 * spacing.
	 */
	static final Map<String, String> FAST = Map.ofEntries(Map.entry("upscale.worker.claim-interval", "50ms"),
			Map.entry("upscale.worker.heartbeat-interval", "500ms"), Map.entry("upscale.worker.lease-duration", "3s"),
			Map.entry("upscale.worker.transient-backoff", "100ms"),
			Map.entry("upscale.worker.max-transient-backoff", "400ms"),
			Map.entry("upscale.worker.profile-min-spacing", "0ms"),
			Map.entry("upscale.worker.throttle-backoff", "500ms"),
			Map.entry("upscale.worker.accounts.unknown-outcome-grace", "1s"),
			Map.entry("upscale.worker.accounts.unknown-outcome-probe-interval", "200ms"),
			Map.entry("upscale.worker.accounts.concurrent-limit-wait", "500ms"),
			Map.entry("upscale.worker.accounts.hold-recheck", "300ms"),
			Map.entry("upscale.outbox.poll-interval", "200ms"), Map.entry("flow.read-timeout", "5s"));

	private final ConfigurableApplicationContext simulator;

	private final List<ConfigurableApplicationContext> workers = new ArrayList<>();

	final SimulatorAdmin flow;

	WorkerTestSystem() {
		this.simulator = FlowSimulatorApplication.builder().run("--server.port=0");
		this.flow = new SimulatorAdmin(Services.port(this.simulator));
	}

	ConfigurableApplicationContext startWorker(Map<String, String> overrides) {
		Map<String, String> properties = new LinkedHashMap<>(FAST);
		properties.putAll(overrides);
		return startWorkerWith(properties);
	}

	/**
	 * Starts a worker whose daily quotas are held and reset on the given clock, which the
	 * test moves, rather than on the worker's own.
	 */
	ConfigurableApplicationContext startWorker(Map<String, String> overrides, Clock quotaClock) {
		Map<String, String> properties = new LinkedHashMap<>(FAST);
		properties.putAll(overrides);
		return startWorkerWith(properties,
				UpscaleWorkerApplication.builder()
					.initializers((context) -> ((GenericApplicationContext) context).registerBean(QuotaClock.class,
							() -> new QuotaClock(quotaClock))));
	}

	/**
	 * Starts a worker with the default settings, but for the given ones.
	 */
	ConfigurableApplicationContext startDefaultWorker(Map<String, String> overrides) {
		return startWorkerWith(new LinkedHashMap<>(overrides));
	}

	private ConfigurableApplicationContext startWorkerWith(Map<String, String> properties) {
		return startWorkerWith(properties, UpscaleWorkerApplication.builder());
	}

	private ConfigurableApplicationContext startWorkerWith(Map<String, String> properties,
			SpringApplicationBuilder builder) {
		String flowUrl = "http://localhost:" + Services.port(this.simulator);
		properties.put("flow.api-base-url", flowUrl);
		properties.put("flow.labs-base-url", flowUrl + "/fx");
		ConfigurableApplicationContext worker = Services.run(builder, properties);
		this.workers.add(worker);
		return worker;
	}

	private ConfigurableApplicationContext anyWorker() {
		return this.workers.get(0);
	}

	String flowUrl() {
		return "http://localhost:" + Services.port(this.simulator);
	}

	<T> T bean(Class<T> type) {
		return anyWorker().getBean(type);
	}

	JdbcClient sql() {
		return anyWorker().getBean(JdbcClient.class);
	}

	/**
	 * Registers a logged-in profile with cookies valid for a week.
	 * @return the simulator's account id of its session
	 */
	String profile(String id) {
		String session = "session-" + id;
		anyWorker().getBean(ProfileRepository.class)
			.save(id, "Profile " + id, true, new FlowCookies(session, Instant.now().plus(Duration.ofDays(7))));
		return SimulatedAccounts.accountOf(session);
	}

	void generation(String id, String profileId, String status, String mediaId) {
		anyWorker().getBean(GenerationRepository.class)
			.save(id, "project-" + profileId, profileId, status, mediaId, "flow-project-1");
	}

	/**
	 * Registers a completed generation of the given shape, at the simulator too, which
	 * refuses a start that names another.
	 */
	void shapedGeneration(String id, String profileId, String mediaId, AspectRatio aspectRatio) {
		anyWorker().getBean(GenerationRepository.class)
			.save(id, "project-" + profileId, profileId, "completed", mediaId, "flow-project-1", aspectRatio.value());
		this.flow.registerSource(mediaId, aspectRatio.wireName());
	}

	/**
	 * Requests a batch whose items name models.
	 * @param items source generation id and model (null for the default) of each item
	 * @return its batch id
	 */
	@SuppressWarnings("unchecked")
	String requestBatchOf(List<UpscaleRequest> items, int delayMs) {
		KafkaTemplate<String, String> kafka = anyWorker().getBean(KafkaTemplate.class);
		String batchId = "batch-" + UUID.randomUUID();
		kafka
			.send(Topics.BATCH_REQUESTS, batchId,
					UpscaleJson.write(new BatchRequested(batchId, items, delayMs, Instant.now())))
			.join();
		return batchId;
	}

	/**
	 * Registers completed generations of a profile.
	 * @return their ids
	 */
	List<String> completedGenerations(String profileId, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			String id = profileId + "-gen-" + i;
			generation(id, profileId, "completed", "media-" + id);
			ids.add(id);
		}
		return ids;
	}

	String requestBatch(List<String> sourceIds, int delayMs) {
		return requestBatches(List.of(sourceIds), delayMs).get(0);
	}

	/**
	 * Sends batch requests together, as a client submitting them at once would, and waits
	 * until Kafka has them all.
	 * @return their batch ids, in order
	 */
	@SuppressWarnings("unchecked")
	List<String> requestBatches(List<List<String>> batches, int delayMs) {
		KafkaTemplate<String, String> kafka = anyWorker().getBean(KafkaTemplate.class);
		List<String> ids = new ArrayList<>();
		List<CompletableFuture<?>> sends = new ArrayList<>();
		for (List<String> sourceIds : batches) {
			String batchId = "batch-" + UUID.randomUUID();
			ids.add(batchId);
			sends.add(kafka.send(Topics.BATCH_REQUESTS, batchId, UpscaleJson.write(new BatchRequested(batchId,
					sourceIds.stream().map((id) -> new UpscaleRequest(id, null)).toList(), delayMs, Instant.now()))));
		}
		CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
		return ids;
	}

	@SuppressWarnings("unchecked")
	void send(String key, String payload) {
		KafkaTemplate<String, String> kafka = anyWorker().getBean(KafkaTemplate.class);
		kafka.send(Topics.BATCH_REQUESTS, key, payload).join();
	}

	List<String> sceneIdsOf(String batchId) {
		return sql().sql("select scene_id::text from batch_items where batch_id = :id order by item_index")
			.param("id", batchId)
			.query(String.class)
			.list();
	}

	/**
	 * Starts a worker in a process of its own, from the executable jar built by
	 * {@code package}, so that a test can kill it.
	 * @param settings worker properties besides the infrastructure's and the simulator's
	 * @param name its instance id
	 */
	ServiceProcess launchWorkerProcess(Map<String, String> settings, String name) {
		Map<String, Object> properties = new LinkedHashMap<>(TestInfrastructure.springProperties());
		properties.putAll(settings);
		properties.put("upscale.worker.instance-id", name);
		properties.put("flow.api-base-url", flowUrl());
		properties.put("flow.labs-base-url", flowUrl() + "/fx");
		return ServiceProcess.launch("upscale-worker", name, ServiceProcess.TEST_JVM_OPTIONS, properties,
				Path.of("target", name + "-" + UUID.randomUUID() + ".log"));
	}

	/**
	 * Deletes batches a test left unfinished, so that no later test's workers take them;
	 * works once the workers are closed.
	 */
	static void discard(List<String> batchIds) {
		Database database = TestInfrastructure.database();
		JdbcClient sql = JdbcClient
			.create(new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password()));
		String[] ids = batchIds.toArray(String[]::new);
		sql.sql("delete from upscales where batch_id = any(:ids)").param("ids", ids).update();
		sql.sql("delete from batches where id = any(:ids)").param("ids", ids).update();
	}

	@Override
	public void close() {
		this.workers.forEach(ConfigurableApplicationContext::close);
		this.simulator.close();
	}

}
