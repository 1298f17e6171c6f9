package io.veoupscale.systemtests;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.gateway.ApiGatewayApplication;
import io.veoupscale.poller.StatusPollerApplication;
import io.veoupscale.simulator.FlowSimulatorApplication;
import io.veoupscale.testsupport.Database;
import io.veoupscale.testsupport.TestInfrastructure;
import io.veoupscale.worker.UpscaleWorkerApplication;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.web.client.RestClient;

/**
 * The whole system in one JVM, each service in its own Spring context as it runs in
 * production: the Flow simulator, the gateway, a worker and the poller, on the shared
 * broker and database. Also the probes a test looks through: HTTP clients, a consumer of
 * the events topic, SQL.
 */
final class RunningSystem implements AutoCloseable {

	static final String API_KEY = "system-test-key-" + UUID.randomUUID();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<BatchEvent> events = new CopyOnWriteArrayList<>();

	private final Thread eventReader;

	private volatile boolean running = true;

	final int simulatorPort;

	final int gatewayPort;

	final JdbcClient sql;

	private RunningSystem(Map<String, String> extraProperties) {
		ConfigurableApplicationContext simulator = start(FlowSimulatorApplication.builder(),
				Map.of("flow.simulator.pending-for", "200ms", "flow.simulator.complete-after", "1500ms"));
		this.simulatorPort = port(simulator);
		String flow = "http://localhost:" + this.simulatorPort;
		Map<String, String> common = new java.util.LinkedHashMap<>(extraProperties);
		common.put("flow.api-base-url", flow);
		common.put("flow.labs-base-url", flow + "/fx");
		common.put("upscale.outbox.poll-interval", "200ms");
		Map<String, String> gateway = new java.util.LinkedHashMap<>(common);
		gateway.put("upscale.gateway.api-key-hashes", sha256Hex(API_KEY));
		this.gatewayPort = port(start(ApiGatewayApplication.builder(), gateway));
		Map<String, String> worker = new java.util.LinkedHashMap<>(common);
		worker.put("upscale.worker.claim-interval", "100ms");
		start(UpscaleWorkerApplication.builder(), worker);
		Map<String, String> poller = new java.util.LinkedHashMap<>(common);
		poller.put("upscale.poller.poll-interval", "100ms");
		poller.put("upscale.poller.first-check-delay", "300ms");
		poller.put("upscale.poller.check-interval", "300ms");
		start(StatusPollerApplication.builder(), poller);
		Database database = TestInfrastructure.database();
		this.sql = JdbcClient
			.create(new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password()));
		this.eventReader = new Thread(this::readEvents, "events-topic-reader");
		this.eventReader.setDaemon(true);
		this.eventReader.start();
	}

	static RunningSystem start() {
		return new RunningSystem(Map.of());
	}

	/**
	 * A client of the gateway that sends the API key.
	 */
	RestClient gateway() {
		return RestClient.builder()
			.baseUrl("http://localhost:" + this.gatewayPort)
			.defaultHeader("Authorization", "Bearer " + API_KEY)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	/**
	 * A client of the simulator's admin endpoints.
	 */
	RestClient simulator() {
		return RestClient.builder().baseUrl("http://localhost:" + this.simulatorPort).build();
	}

	/**
	 * The events of one batch seen on the events topic so far, in topic order.
	 */
	List<BatchEvent> eventsOf(String batchId) {
		return this.events.stream().filter((event) -> event.batchId().equals(batchId)).toList();
	}

	private ConfigurableApplicationContext start(SpringApplicationBuilder builder, Map<String, String> properties) {
		List<String> args = new ArrayList<>();
		TestInfrastructure.springProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
		properties.forEach((key, value) -> args.add("--" + key + "=" + value));
		args.add("--server.port=0");
		ConfigurableApplicationContext context = builder.run(args.toArray(String[]::new));
		this.contexts.add(context);
		return context;
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	private void readEvents() {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(Topics.BATCH_EVENTS));
			while (this.running) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					this.events.add(UpscaleJson.read(record.value(), BatchEvent.class));
				}
			}
		}
	}

	static String sha256Hex(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.eventReader.join(5_000);
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
	}

}
