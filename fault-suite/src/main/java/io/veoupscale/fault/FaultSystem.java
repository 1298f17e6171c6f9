package io.veoupscale.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.Topics;
import io.veoupscale.simulator.SimulatedAccounts;
import io.veoupscale.testsupport.ServiceProcess;
import io.veoupscale.testsupport.Services;
import io.veoupscale.testsupport.SimulatorAdmin;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;
import io.veoupscale.testsupport.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The system under test as separate processes: a standalone Kafka broker, a PostgreSQL of
 * the suite's own, the Flow simulator, the gateway, workers and the poller; plus what the
 * scenarios use to seed data, send requests and look at the outcome.
 */
final class FaultSystem implements AutoCloseable {

	static final String API_KEY = "fault-suite-key-" + UUID.randomUUID();

	static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

	/** Worker settings that keep takeovers quick: short leases, quick retries. */
	static final Map<String, String> WORKER = Map.of("upscale.worker.claim-interval", "100ms",
			"upscale.worker.heartbeat-interval", "500ms", "upscale.worker.lease-duration", "3s",
			"upscale.worker.transient-backoff", "100ms", "upscale.worker.max-transient-backoff", "400ms",
			"upscale.worker.profile-min-spacing", "0ms", "upscale.worker.throttle-backoff", "500ms",
			"upscale.outbox.poll-interval", "100ms", "flow.read-timeout", "2s");

	/**
	 * Poller settings: quick first checks and a short lease, so a restart takes over
	 * soon.
	 */
	static final Map<String, String> POLLER = Map.of("upscale.poller.poll-interval", "100ms",
			"upscale.poller.first-check-delay", "500ms", "upscale.poller.check-interval", "1s",
			"upscale.poller.max-check-interval", "3s", "upscale.poller.lease-duration", "5s",
			"upscale.outbox.poll-interval", "100ms");

	final Path work;

	final KafkaBroker kafka;

	final RestartablePostgres postgres;

	final ServiceProcess simulator;

	final SimulatorAdmin flow;

	final ServiceProcess gateway;

	final List<ServiceProcess> workers = new CopyOnWriteArrayList<>();

	private @Nullable ServiceProcess poller;

	final JdbcClient sql;

	final TopicReader events;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final KafkaProducer<String, byte[]> producer;

	private final AtomicInteger launches = new AtomicInteger();

	private Map<String, String> workerSettings = WORKER;

	private FaultSystem(Path work, KafkaBroker kafka, RestartablePostgres postgres, ServiceProcess simulator,
			int workers, boolean poller) throws InterruptedException {
		this.work = work;
		this.kafka = kafka;
		this.postgres = postgres;
		this.simulator = simulator;
		this.flow = new SimulatorAdmin(simulator.port());
		this.gateway = launch("api-gateway", "gateway",
				Map.of("upscale.gateway.api-key-hashes", Services.apiKeyHash(API_KEY)));
		this.gateway.awaitReady(READY_TIMEOUT);
		List<ServiceProcess> starting = new ArrayList<>();
		for (int i = 0; i < workers; i++) {
			starting.add(launchWorker());
		}
		ServiceProcess startingPoller = poller ? launchPoller() : null;
		for (ServiceProcess worker : starting) {
			worker.awaitReady(READY_TIMEOUT);
		}
		if (startingPoller != null) {
			startingPoller.awaitReady(READY_TIMEOUT);
		}
		this.sql = JdbcClient.create(new DriverManagerDataSource(postgres.jdbcUrl(), "postgres", ""));
		this.events = TopicReader.events(kafka.bootstrapServers(), Topics.BATCH_EVENTS);
		Properties config = new Properties();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
	}

	/**
	 * Starts everything and waits until every service is ready.
	 * @param work the folder for data and logs
	 * @param workers how many workers
	 * @param poller whether to run the status poller
	 * @return the running system
	 */
	static FaultSystem start(Path work, int workers, boolean poller) throws Exception {
		KafkaBroker.deleteQuietly(work);
		log("starting Kafka and PostgreSQL in " + work);
		KafkaBroker kafka = KafkaBroker.start(work.resolve("kafka"));
		RestartablePostgres postgres = RestartablePostgres.start(work.resolve("postgres"));
		log("starting the Flow simulator, the gateway, " + workers + " workers" + (poller ? " and the poller" : ""));
		ServiceProcess simulator = ServiceProcess.launch(
				"flow-simulator", "simulator", ServiceProcess.TEST_JVM_OPTIONS, Map.of("flow.simulator.pending-for",
						"1s", "flow.simulator.complete-after", "150s", "logging.level.root", "WARN"),
				work.resolve("logs").resolve("simulator.log"));
		return new FaultSystem(work, kafka, postgres, simulator, workers, poller);
	}

	static void log(String message) {
		System.out.printf("%s  %s%n", java.time.LocalTime.now().withNano(0), message);
	}

	ServiceProcess launchWorker() {
		Map<String, String> properties = new LinkedHashMap<>(this.workerSettings);
		String name = "worker-" + this.launches.incrementAndGet();
		properties.put("upscale.worker.instance-id", name);
		ServiceProcess worker = launch("upscale-worker", name, properties);
		this.workers.add(worker);
		return worker;
	}

	/**
	 * Replaces every worker with new ones on other settings.
	 * @param count how many
	 * @param overrides settings on top of {@link #WORKER}
	 */
	void replaceWorkers(int count, Map<String, String> overrides) throws InterruptedException {
		for (ServiceProcess worker : this.workers) {
			worker.stop();
		}
		this.workers.clear();
		Map<String, String> settings = new LinkedHashMap<>(WORKER);
		settings.putAll(overrides);
		this.workerSettings = settings;
		List<ServiceProcess> started = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			started.add(launchWorker());
		}
		for (ServiceProcess worker : started) {
			worker.awaitReady(READY_TIMEOUT);
		}
	}

	Optional<ServiceProcess> worker(String instanceId) {
		return this.workers.stream().filter((worker) -> worker.name().equals(instanceId)).findFirst();
	}

	ServiceProcess poller() {
		if (this.poller == null) {
			throw new IllegalStateException("This run has no poller");
		}
		return this.poller;
	}

	ServiceProcess launchPoller() {
		Map<String, String> properties = new LinkedHashMap<>(POLLER);
		String name = "poller-" + this.launches.incrementAndGet();
		properties.put("upscale.poller.instance-id", name);
		this.poller = launch("status-poller", name, properties);
		return this.poller;
	}

	List<ServiceProcess> services() {
		List<ServiceProcess> services = new ArrayList<>();
		services.add(this.gateway);
		services.addAll(this.workers);
		if (this.poller != null) {
			services.add(this.poller);
		}
		return services;
	}

	private ServiceProcess launch(String module, String name, Map<String, String> extra) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.kafka.bootstrap-servers", this.kafka.bootstrapServers());
		properties.put("spring.datasource.url", this.postgres.jdbcUrl());
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.password", "");
		properties.put("upscale.crypto.key", TestInfrastructure.CRYPTO_KEY);
		properties.put("flow.api-base-url", this.simulator.url());
		properties.put("flow.labs-base-url", this.simulator.url() + "/fx");
		properties.putAll(extra);
		return ServiceProcess.launch(module, name, ServiceProcess.TEST_JVM_OPTIONS, properties,
				this.work.resolve("logs").resolve(name + ".log"));
	}

	/**
	 * Registers a logged-in profile through the gateway.
	 * @param id the profile id
	 * @return the simulator's account of its session
	 */
	String profile(String id) {
		String session = "session-" + id;
		put("/api/v1/profiles/" + id, """
				{"name":"Profile %s","loggedIn":true,"flowCookies":{"sessionToken":"%s","expiresAt":"%s"}}"""
			.formatted(id, session, Instant.now().plus(Duration.ofDays(7))));
		return SimulatedAccounts.accountOf(session);
	}

	/**
	 * Registers completed generations of a profile through the gateway, eight at a time.
	 * @param profileId the profile
	 * @param count how many
	 * @return their ids
	 */
	List<String> generations(String profileId, int count) throws Exception {
		List<String> ids = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> puts = new ArrayList<>();
			for (int i = 1; i <= count; i++) {
				String id = profileId + "-gen-" + i;
				ids.add(id);
				puts.add(pool.submit(() -> put("/api/v1/generations/" + id,
						"""
								{"projectId":"project-%s","profileId":"%s","status":"completed","mediaGenerationId":"media-%s","flowProjectId":"flow-project-1"}"""
							.formatted(profileId, profileId, id))));
			}
			for (Future<?> put : puts) {
				put.get();
			}
		}
		finally {
			pool.shutdown();
		}
		return ids;
	}

	/**
	 * Submits a batch through the gateway.
	 * @param sources the source generations
	 * @param delayMs the delay between starts
	 * @return the batch id
	 */
	String requestBatch(List<String> sources, int delayMs) {
		String body = "{\"requests\":[" + sources.stream()
			.map((id) -> "{\"sourceGenerationId\":\"" + id + "\"}")
			.collect(Collectors.joining(",")) + "],\"delayMs\":" + delayMs + "}";
		HttpResponse<String> response = send("POST", "/api/v1/upscale-batches", body);
		Matcher batchId = Pattern.compile("\"batchId\":\"([^\"]+)\"").matcher(response.body());
		if (response.statusCode() != 202 || !batchId.find()) {
			throw new IllegalStateException("Batch not accepted: " + response.statusCode() + " " + response.body());
		}
		return batchId.group(1);
	}

	/**
	 * Sends a record to a topic and waits for the broker's acknowledgement.
	 * @param topic the topic
	 * @param key the key
	 * @param value the value
	 */
	void sendRecord(String topic, String key, byte[] value) throws Exception {
		this.producer.send(new ProducerRecord<>(topic, key, value)).get();
	}

	private void put(String path, String body) {
		HttpResponse<String> response = send("PUT", path, body);
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException("PUT " + path + ": " + response.statusCode() + " " + response.body());
		}
	}

	private HttpResponse<String> send(String method, String path, String body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.gateway.url() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + API_KEY)
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Items of a batch per status, as PostgreSQL holds them.
	 * @param batchId the batch
	 * @return count per status
	 */
	Map<String, Long> itemStatuses(String batchId) {
		Map<String, Long> counts = new LinkedHashMap<>();
		this.sql.sql("select status, count(*) from batch_items where batch_id = :id group by status")
			.param("id", batchId)
			.query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()
			.forEach((entry) -> counts.put(entry.getKey(), entry.getValue()));
		return counts;
	}

	long finishedItems(String batchId) {
		Map<String, Long> statuses = itemStatuses(batchId);
		return statuses.getOrDefault("started", 0L) + statuses.getOrDefault("failed", 0L);
	}

	/**
	 * The items whose turn was taken: started, failed, or on their way to Flow. Their
	 * outcomes are recorded in item order, so after a takeover that waits to learn what
	 * became of an interrupted start, later items reach Flow before they count as
	 * finished; this count moves as the starts do.
	 */
	long takenItems(String batchId) {
		return itemStatuses(batchId).entrySet()
			.stream()
			.filter((status) -> !"pending".equals(status.getKey()))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	/**
	 * What became of a batch's items, from every side a user could look: the simulator's
	 * start calls for its scenes, its rows in PostgreSQL, and its progress and completed
	 * events.
	 * @param batchId the batch
	 * @param items how many items it has
	 * @return the tally
	 */
	BatchTally tally(String batchId, int items) {
		Set<String> scenes = new HashSet<>(sceneIdsOf(batchId));
		List<StartCall> starts = this.flow.starts().stream().filter((call) -> scenes.contains(call.sceneId())).toList();
		Map<String, Long> statuses = itemStatuses(batchId);
		List<ItemProgressed> progress = this.events.of(batchId, ItemProgressed.class);
		Map<Integer, Set<String>> emissions = progress.stream()
			.collect(Collectors.groupingBy(ItemProgressed::index,
					Collectors.mapping(ItemProgressed::eventId, Collectors.toSet())));
		long completions = this.events.of(batchId, BatchCompleted.class)
			.stream()
			.map(BatchCompleted::eventId)
			.distinct()
			.count();
		return new BatchTally(items, starts, statuses, progress, emissions.size(),
				emissions.values().stream().filter((ids) -> ids.size() > 1).count(), completions);
	}

	List<String> sceneIdsOf(String batchId) {
		return this.sql.sql("select scene_id::text from batch_items where batch_id = :id order by item_index")
			.param("id", batchId)
			.query(String.class)
			.list();
	}

	/**
	 * What became of a batch's items.
	 *
	 * @param items how many items the batch has
	 * @param starts the simulator's start calls for its scenes, whatever their outcome
	 * @param statuses its items per status in PostgreSQL
	 * @param progress its progress events
	 * @param withEvent how many items have a progress event
	 * @param twiceEmitted how many items have two progress events with different ids
	 * @param completions how many distinct completed events it has
	 */
	record BatchTally(int items, List<StartCall> starts, Map<String, Long> statuses, List<ItemProgressed> progress,
			long withEvent, long twiceEmitted, long completions) {

		long started() {
			return this.statuses.getOrDefault("started", 0L);
		}

		long failed() {
			return this.statuses.getOrDefault("failed", 0L);
		}

		/**
		 * Items that ended neither in their row nor in an event.
		 */
		long lost() {
			return this.items - Math.min(started() + failed(), this.withEvent);
		}

		/**
		 * Scenes sent to Flow more than once, whatever Flow answered.
		 */
		long scenesCalledTwice() {
			return countTwice(this.starts);
		}

		/**
		 * Scenes Flow accepted more than once.
		 */
		long scenesAcceptedTwice() {
			return countTwice(this.starts.stream().filter(StartCall::accepted).toList());
		}

		private static long countTwice(List<StartCall> calls) {
			return calls.stream()
				.collect(Collectors.groupingBy(StartCall::sceneId, Collectors.counting()))
				.values()
				.stream()
				.filter((count) -> count > 1)
				.count();
		}

	}

	/**
	 * Waits for a condition, polling, at most for a time.
	 * @param timeout the longest wait
	 * @param condition the condition; a failing query counts as false
	 * @return whether it held in time
	 */
	static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			try {
				if (condition.getAsBoolean()) {
					return true;
				}
			}
			catch (RuntimeException ex) {
				// PostgreSQL or the simulator may be down on purpose; ask again.
			}
			Thread.sleep(100);
		}
		return false;
	}

	@Override
	public void close() throws Exception {
		this.producer.close(Duration.ofSeconds(2));
		this.events.close();
		for (ServiceProcess service : services()) {
			service.stop();
		}
		this.simulator.stop();
		this.kafka.close();
		this.postgres.close();
	}

}
