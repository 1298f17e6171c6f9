package io.veoupscale.systemtests;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.veoupscale.events.BatchEvent;
import io.veoupscale.gateway.ApiGatewayApplication;
import io.veoupscale.poller.StatusPollerApplication;
import io.veoupscale.simulator.FlowSimulatorApplication;
import io.veoupscale.testsupport.Database;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.Services;
import io.veoupscale.testsupport.TestInfrastructure;
import io.veoupscale.worker.UpscaleWorkerApplication;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system in one JVM, each service in its own Spring context as it runs in
 * production: the Flow simulator, the gateway, a worker and the poller, on the shared
 * broker and database. Also the probes a test looks through: HTTP clients, a consumer of
 * the events topic, SQL.
 */
final class RunningSystem implements AutoCloseable {

	static final String API_KEY = "system-test-key-" + UUID.randomUUID();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final EventsProbe events;

	final int simulatorPort;

	final int gatewayPort;

	final int pollerPort;

	final JdbcClient sql;

	private final Map<String, String> workerProperties;

	private final List<ConfigurableApplicationContext> workers = new ArrayList<>();

	private final @Nullable SpanExporter spans;

	private RunningSystem(Map<String, String> extraProperties, @Nullable SpanExporter spans) {
		this.spans = spans;
		Map<String, String> simulatorProperties = new java.util.LinkedHashMap<>(
				Map.of("flow.simulator.pending-for", "200ms", "flow.simulator.complete-after", "1500ms"));
		extraProperties.forEach((name, value) -> {
			if (name.startsWith("flow.simulator.")) {
				simulatorProperties.put(name, value);
			}
		});
		ConfigurableApplicationContext simulator = Services.run(FlowSimulatorApplication.builder(),
				simulatorProperties);
		this.contexts.add(simulator);
		this.simulatorPort = Services.port(simulator);
		String flow = "http://localhost:" + this.simulatorPort;
		Map<String, String> common = new java.util.LinkedHashMap<>(extraProperties);
		common.put("flow.api-base-url", flow);
		common.put("flow.labs-base-url", flow + "/fx");
		common.put("upscale.outbox.poll-interval", "200ms");
		Map<String, String> gateway = new java.util.LinkedHashMap<>(common);
		gateway.put("upscale.gateway.api-key-hashes", Services.apiKeyHash(API_KEY));
		this.gatewayPort = Services.port(start(ApiGatewayApplication.builder(), gateway));
		Map<String, String> worker = new java.util.LinkedHashMap<>(common);
		worker.put("upscale.worker.claim-interval", "100ms");
		this.workerProperties = Map.copyOf(worker);
		this.workers.add(start(UpscaleWorkerApplication.builder(), worker));
		Map<String, String> poller = new java.util.LinkedHashMap<>(common);
		poller.put("upscale.poller.poll-interval", "100ms");
		poller.put("upscale.poller.first-check-delay", "300ms");
		poller.put("upscale.poller.check-interval", "300ms");
		this.pollerPort = Services.port(start(StatusPollerApplication.builder(), poller));
		Database database = TestInfrastructure.database();
		this.sql = JdbcClient
			.create(new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password()));
		this.events = EventsProbe.start();
	}

	static RunningSystem start() {
		return new RunningSystem(Map.of(), null);
	}

	/**
	 * Starts the system with properties for every service on top of the defaults.
	 */
	static RunningSystem start(Map<String, String> properties) {
		return new RunningSystem(properties, null);
	}

	/**
	 * Starts the system with properties for every service on top of the defaults, and
	 * every service (not the simulator: Flow is outside) exporting its spans to the given
	 * exporter.
	 */
	static RunningSystem start(Map<String, String> properties, SpanExporter spans) {
		return new RunningSystem(properties, spans);
	}

	/**
	 * Starts one more worker, with properties on top of the first worker's.
	 * @return its lease owner id
	 */
	String startWorker(Map<String, String> properties) {
		Map<String, String> worker = new java.util.LinkedHashMap<>(this.workerProperties);
		worker.putAll(properties);
		ConfigurableApplicationContext context = start(UpscaleWorkerApplication.builder(), worker);
		this.workers.add(context);
		return workerId(context);
	}

	/**
	 * The lease owner ids of the running workers, the first worker first.
	 */
	List<String> workerIds() {
		return this.workers.stream()
			.filter(ConfigurableApplicationContext::isActive)
			.map(RunningSystem::workerId)
			.toList();
	}

	/**
	 * Stops the worker with this lease owner id.
	 */
	void stopWorker(String workerId) {
		for (ConfigurableApplicationContext worker : this.workers) {
			if (worker.isActive() && workerId(worker).equals(workerId)) {
				worker.close();
				return;
			}
		}
		throw new IllegalArgumentException("No running worker " + workerId);
	}

	private static String workerId(ConfigurableApplicationContext worker) {
		return worker.getBean(io.veoupscale.worker.WorkerInstance.class).id();
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
	 * Produces a record straight to the batch-requests topic, as another service would,
	 * with no trace context.
	 */
	@SuppressWarnings("unchecked")
	void produceBatchRequest(String batchId, String payload) {
		this.workers.get(0)
			.getBean(org.springframework.kafka.core.KafkaTemplate.class)
			.send(io.veoupscale.events.Topics.BATCH_REQUESTS, batchId, payload)
			.join();
	}

	/**
	 * The HTTP port of the first worker.
	 */
	int workerPort() {
		return Services.port(this.workers.get(0));
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
		return this.events.of(batchId);
	}

	/**
	 * Registers data through the gateway, asserting that it was accepted.
	 * @return the response body
	 */
	String put(String path, Map<String, Object> body) {
		ResponseEntity<String> response = gateway().put()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(String.class);
		assertThat(response.getStatusCode().is2xxSuccessful()).as("PUT %s: %s", path, response.getBody()).isTrue();
		return response.getBody();
	}

	/**
	 * The body of a generation registration.
	 */
	static Map<String, Object> generation(String projectId, String profileId, String status, String mediaId) {
		Map<String, Object> body = new HashMap<>(
				Map.of("projectId", projectId, "profileId", profileId, "status", status, "flowProjectId", "flow-p1"));
		if (mediaId != null) {
			body.put("mediaGenerationId", mediaId);
		}
		return body;
	}

	private ConfigurableApplicationContext start(SpringApplicationBuilder builder, Map<String, String> properties) {
		SpanExporter exporter = this.spans;
		if (exporter != null) {
			builder.initializers((context) -> context.getBeanFactory().registerSingleton("testSpanExporter", exporter));
		}
		ConfigurableApplicationContext context = Services.run(builder, properties);
		this.contexts.add(context);
		return context;
	}

	@Override
	public void close() throws InterruptedException {
		this.events.close();
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			if (this.contexts.get(i).isActive()) {
				this.contexts.get(i).close();
			}
		}
	}

}
