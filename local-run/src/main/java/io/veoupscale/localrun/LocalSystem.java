package io.veoupscale.localrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.veoupscale.gateway.ApiGatewayApplication;
import io.veoupscale.poller.StatusPollerApplication;
import io.veoupscale.simulator.FlowSimulatorApplication;
import io.veoupscale.worker.UpscaleWorkerApplication;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.Assert;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

/**
 * Starts the broker, the database and the services in dependency order, each service in
 * its own Spring context as its jar would run it, and stops them all in reverse; their
 * files live in one temporary directory, deleted at the end.
 */
final class LocalSystem {

	private static final Logger logger = LoggerFactory.getLogger(LocalSystem.class);

	/**
	 * Turns off, in the services that have no HTTP API of their own, the API docs that
	 * the gateway's dependencies would add to every service on the shared classpath.
	 */
	private static final Map<String, String> NOT_THE_GATEWAY = Map.of("springdoc.api-docs.enabled", "false",
			"springdoc.swagger-ui.enabled", "false");

	private final LocalSettings settings;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private @Nullable LocalKafka kafka;

	private @Nullable LocalPostgres postgres;

	private final List<CompletableFuture<?>> pending = new ArrayList<>();

	private @Nullable Path runDirectory;

	private boolean stopped;

	private @Nullable LocalReceiver receiver;

	LocalSystem(LocalSettings settings) {
		this.settings = settings;
	}

	/**
	 * Starts everything and seeds the demo data.
	 * @return where everything runs
	 * @throws IllegalStateException when a port is taken or a component does not start
	 */
	Ready start() {
		checkPortsAreFree();
		if (this.settings.externalDatabase() != null && this.settings.cryptoKeyGenerated()) {
			logger.warn("UPSCALE_CRYPTO_KEY is not set, so this run encrypts Flow cookies with a key of its own: "
					+ "profiles that earlier runs stored in the external database cannot be decrypted now (the "
					+ "demo profiles are stored again). Set UPSCALE_CRYPTO_KEY to keep them usable.");
		}
		Path directory = createRunDirectory();
		// PostgreSQL runs in a child process, so the two start side by side.
		CompletableFuture<@Nullable String> database = inBackground("postgres-start", () -> {
			if (this.settings.externalDatabase() != null) {
				return null;
			}
			return timed("PostgreSQL (embedded)",
					() -> register(LocalPostgres.start(this.settings.postgresPort(), directory.resolve("postgres"))))
				.jdbcUrl();
		});
		CompletableFuture<String> broker = inBackground("kafka-start", () -> {
			String external = this.settings.externalKafka();
			if (external != null) {
				return external;
			}
			return timed("Kafka (KRaft, in-process)",
					() -> register(LocalKafka.start(this.settings.kafkaPort(), directory.resolve("kafka"))))
				.bootstrapServers();
		});
		String bootstrapServers = join(broker);
		String jdbcUrl = join(database);
		String flow = this.settings.externalFlow();
		if (flow == null) {
			Map<String, String> simulatorProperties = new LinkedHashMap<>(NOT_THE_GATEWAY);
			simulatorProperties.put("flow.simulator.pending-for", "3s");
			simulatorProperties.put("flow.simulator.complete-after", "20s");
			// The simulator uses no database and no broker, but the services' support for
			// both is on the shared classpath.
			simulatorProperties.put("spring.autoconfigure.exclude",
					"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
							+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
							+ "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration");
			ConfigurableApplicationContext simulator = startService("Flow simulator",
					FlowSimulatorApplication.builder(), this.settings.simulatorPort(), simulatorProperties);
			flow = "http://localhost:" + port(simulator);
		}
		Map<String, String> shared = sharedProperties(bootstrapServers, jdbcUrl, flow);
		for (int i = 0; i < this.settings.workerPorts().size(); i++) {
			Map<String, String> worker = new LinkedHashMap<>(shared);
			worker.putAll(NOT_THE_GATEWAY);
			worker.put("upscale.worker.instance-id", "local-worker-" + (i + 1) + "-" + this.settings.runId());
			startService("Worker " + (i + 1), UpscaleWorkerApplication.builder(), this.settings.workerPorts().get(i),
					worker);
		}
		Map<String, String> poller = new LinkedHashMap<>(shared);
		poller.putAll(NOT_THE_GATEWAY);
		poller.put("upscale.poller.instance-id", "local-poller-" + this.settings.runId());
		startService("Status poller", StatusPollerApplication.builder(), this.settings.pollerPort(), poller);
		Map<String, String> gateway = new LinkedHashMap<>(shared);
		gateway.put("upscale.gateway.api-key-hashes", this.settings.apiKeyHashes());
		String callbackSecret = LocalReceiver.newSecret(new SecureRandom());
		LocalReceiver receiver = startReceiver(callbackSecret);
		gateway.put("upscale.webhooks.allowed-cidrs", "127.0.0.0/8");
		gateway.put("upscale.webhooks.callback-secret", callbackSecret);
		String gatewayUrl = "http://localhost:"
				+ port(startService("Gateway", ApiGatewayApplication.builder(), this.settings.gatewayPort(), gateway));
		timed("Demo data", () -> {
			DemoData.seed(RestClient.builder()
				.baseUrl(gatewayUrl)
				.defaultHeader("Authorization", "Bearer " + this.settings.apiKey())
				.build());
			return DemoData.GENERATIONS.size();
		});
		return new Ready(gatewayUrl, bootstrapServers, this.settings.externalKafka() == null, jdbcUrl, flow,
				this.settings.externalFlow() == null, (receiver != null) ? receiver.url() : null);
	}

	synchronized boolean isStopped() {
		return this.stopped;
	}

	/**
	 * Closes the services in reverse order of their start, then the broker, then the
	 * database. Safe to call at any time, also while {@link #start()} runs, and more than
	 * once.
	 */
	void stop() {
		List<ConfigurableApplicationContext> contexts;
		List<CompletableFuture<?>> pending;
		synchronized (this) {
			if (this.stopped) {
				return;
			}
			this.stopped = true;
			contexts = new ArrayList<>(this.contexts);
			pending = new ArrayList<>(this.pending);
		}
		long started = System.nanoTime();
		logger.info("Stopping...");
		for (int i = contexts.size() - 1; i >= 0; i--) {
			ConfigurableApplicationContext context = contexts.get(i);
			quietly(context.getId(), context::close);
		}
		LocalReceiver localReceiver;
		synchronized (this) {
			localReceiver = this.receiver;
		}
		if (localReceiver != null) {
			localReceiver.close();
		}
		// A broker or database still starting closes itself once it is up (see register).
		for (CompletableFuture<?> future : pending) {
			try {
				future.get(30, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				// It failed or closed itself; either way nothing of it is left running.
			}
		}
		LocalKafka kafka;
		LocalPostgres postgres;
		Path directory;
		synchronized (this) {
			kafka = this.kafka;
			postgres = this.postgres;
			directory = this.runDirectory;
		}
		if (kafka != null) {
			quietly("Kafka", kafka::close);
		}
		if (postgres != null) {
			quietly("PostgreSQL", postgres::close);
		}
		if (directory != null) {
			quietly("the run directory", () -> FileSystemUtils.deleteRecursively(directory));
		}
		logger.info("Stopped in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
	}

	private synchronized Path createRunDirectory() {
		try {
			this.runDirectory = Files.createTempDirectory("local-run-");
			return this.runDirectory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a temporary directory", ex);
		}
	}

	private synchronized <T> CompletableFuture<T> inBackground(String name, Supplier<T> task) {
		// A thread of our own rather than a pool's, so that it inherits this thread's
		// class loader (the executable jar's).
		CompletableFuture<T> future = CompletableFuture.supplyAsync(task,
				(runnable) -> new Thread(runnable, name).start());
		this.pending.add(future);
		return future;
	}

	private Map<String, String> sharedProperties(String bootstrapServers, @Nullable String jdbcUrl, String flow) {
		// External components are configured by their own environment variables, which
		// the services read themselves; only embedded ones are passed here.
		Map<String, String> properties = new LinkedHashMap<>();
		if (this.settings.externalKafka() == null) {
			properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
		}
		if (jdbcUrl != null) {
			properties.put("spring.datasource.url", jdbcUrl);
			properties.put("spring.datasource.username", LocalPostgres.USERNAME);
			properties.put("spring.datasource.password", "");
		}
		if (this.settings.externalFlow() == null) {
			properties.put("flow.api-base-url", flow);
			properties.put("flow.labs-base-url", flow + "/fx");
		}
		properties.put("upscale.crypto.key", this.settings.cryptoKey());
		return properties;
	}

	private ConfigurableApplicationContext startService(String name, SpringApplicationBuilder builder, int port,
			Map<String, String> properties) {
		// Command-line arguments, because the builders' default properties lose to each
		// service's own yml.
		List<String> args = new ArrayList<>();
		args.add("--server.port=" + port);
		args.add("--spring.main.banner-mode=off");
		args.add("--spring.main.register-shutdown-hook=false");
		args.add("--spring.main.log-startup-info=false");
		args.add("--spring.lifecycle.timeout-per-shutdown-phase=3s");
		args.add("--server.tomcat.basedir=" + runDirectory().resolve("tomcat-" + port));
		properties.forEach((key, value) -> args.add("--" + key + "=" + value));
		return timed(name + " on :" + port, () -> register(builder.run(args.toArray(String[]::new))));
	}

	/**
	 * The webhook receiver the banner points at, closed with the run; the run goes on
	 * without it if it cannot listen.
	 */
	private @Nullable LocalReceiver startReceiver(String callbackSecret) {
		try {
			LocalReceiver receiver = LocalReceiver.start(callbackSecret);
			synchronized (this) {
				this.receiver = receiver;
			}
			return receiver;
		}
		catch (IOException ex) {
			logger.warn("The webhook receiver could not start: {}", ex.getMessage());
			return null;
		}
	}

	private synchronized <T extends AutoCloseable> T register(T component) {
		if (this.stopped) {
			quietly(component.toString(), component::close);
			throw new IllegalStateException("Stopped while starting");
		}
		if (component instanceof ConfigurableApplicationContext context) {
			this.contexts.add(context);
		}
		else if (component instanceof LocalKafka localKafka) {
			this.kafka = localKafka;
		}
		else if (component instanceof LocalPostgres localPostgres) {
			this.postgres = localPostgres;
		}
		return component;
	}

	private synchronized Path runDirectory() {
		Assert.state(this.runDirectory != null, "No run directory");
		return this.runDirectory;
	}

	private void checkPortsAreFree() {
		Map<Integer, String> ports = new LinkedHashMap<>();
		ports.put(this.settings.gatewayPort(), "gateway, LOCAL_GATEWAY_PORT");
		ports.put(this.settings.workerPorts().get(0), "worker 1, LOCAL_WORKER_1_PORT");
		ports.put(this.settings.workerPorts().get(1), "worker 2, LOCAL_WORKER_2_PORT");
		ports.put(this.settings.pollerPort(), "poller, LOCAL_POLLER_PORT");
		if (this.settings.externalFlow() == null) {
			ports.put(this.settings.simulatorPort(), "Flow simulator, LOCAL_SIMULATOR_PORT");
		}
		if (this.settings.externalKafka() == null) {
			ports.put(this.settings.kafkaPort(),
					"Kafka, LOCAL_KAFKA_PORT, or SPRING_KAFKA_BOOTSTRAP_SERVERS for a running broker");
		}
		if (this.settings.externalDatabase() == null && this.settings.postgresPort() != 0) {
			ports.put(this.settings.postgresPort(), "PostgreSQL, LOCAL_POSTGRES_PORT");
		}
		List<String> taken = new ArrayList<>();
		ports.forEach((port, use) -> {
			try (ServerSocket socket = new ServerSocket()) {
				socket.bind(new InetSocketAddress(port));
			}
			catch (IOException ex) {
				taken.add(port + " (" + use + ")");
			}
		});
		if (!taken.isEmpty()) {
			throw new NotStarted("Port(s) already in use: " + String.join("; ", taken)
					+ ". Stop what uses them or choose other ports with the variables named.");
		}
	}

	private static <T> T timed(String what, Supplier<T> action) {
		long started = System.nanoTime();
		T result = action.get();
		logger.info("{} ready in {} ms", what, Duration.ofNanos(System.nanoTime() - started).toMillis());
		return result;
	}

	private static <T> T join(CompletableFuture<T> future) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	private static void quietly(@Nullable String what, AutoCloseable component) {
		try {
			component.close();
		}
		catch (Exception ex) {
			logger.warn("Could not stop {} cleanly: {}", what, ex.toString());
		}
	}

	/**
	 * A start that failed for a reason its message explains to the user in full.
	 */
	static final class NotStarted extends IllegalStateException {

		NotStarted(String message) {
			super(message);
		}

	}

	/**
	 * Where the running system can be reached.
	 *
	 * @param gatewayUrl the gateway's base URL
	 * @param kafka the bootstrap servers
	 * @param kafkaEmbedded whether the broker runs in this process
	 * @param embeddedDatabase the JDBC URL of the embedded database, none for an external
	 * one
	 * @param flow the Flow API base URL
	 * @param flowSimulated whether that is the simulator in this process
	 * @param webhookReceiver the base URL of the run's webhook receiver, if it started
	 */
	record Ready(String gatewayUrl, String kafka, boolean kafkaEmbedded, @Nullable String embeddedDatabase, String flow,
			boolean flowSimulated, @Nullable String webhookReceiver) {

		Ready(String gatewayUrl, String kafka, boolean kafkaEmbedded, @Nullable String embeddedDatabase, String flow,
				boolean flowSimulated) {
			this(gatewayUrl, kafka, kafkaEmbedded, embeddedDatabase, flow, flowSimulated, null);
		}

	}

}
