package io.veoupscale.systemtests;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.veoupscale.flow.FlowProperties;
import io.veoupscale.gateway.GatewayProperties;
import io.veoupscale.store.profile.CryptoProperties;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docker-compose.yml} consistent with the services' configuration: each
 * service's environment, bound the way Spring Boot binds the real environment, reaches
 * the properties the service reads, and its health check asks the port it listens on.
 * {@code docker-compose config -q} in CI checks the file's shape; this checks its
 * meaning.
 */
class ComposeFileTests {

	private static final Path COMPOSE_FILE = Path.of("..", "docker-compose.yml");

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([-?])([^}]*))?}");

	private static final String PLACEHOLDER = "from-the-environment";

	@Test
	void runsTheWholeSystemWithTwoWorkers() throws IOException {
		assertThat(servicesOfProfile(null)).containsExactlyInAnyOrder("kafka", "postgres", "flow-simulator",
				"api-gateway", "upscale-worker-1", "upscale-worker-2", "status-poller");
		assertThat(string(services().get("kafka"), "image")).startsWith("apache/kafka:");
		assertThat(environment("kafka")).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
			.containsEntry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://kafka:9092");
		assertThat(string(services().get("postgres"), "image")).startsWith("postgres:");
		for (String service : List.of("flow-simulator", "api-gateway", "upscale-worker-1", "upscale-worker-2",
				"status-poller")) {
			assertThat(module(service)).as("module of %s", service).isEqualTo(service.replaceFirst("-[0-9]+$", ""));
			assertThat(Files.isDirectory(Path.of("..", module(service)))).as("module of %s", service).isTrue();
		}
	}

	@Test
	void bindsEachServiceEnvironmentToItsProperties() throws IOException {
		for (String service : List.of("api-gateway", "upscale-worker-1", "upscale-worker-2", "status-poller")) {
			Binder binder = binder(service);
			assertThat(binder.bind("spring.kafka.bootstrap-servers", Bindable.listOf(String.class)).get()).as(service)
				.containsExactly("kafka:9092");
			assertThat(binder.bind("spring.datasource.url", String.class).get()).as(service)
				.isEqualTo("jdbc:postgresql://postgres:5432/upscale");
			assertThat(binder.bind("spring.datasource.username", String.class).get()).as(service)
				.isEqualTo(environment("postgres").get("POSTGRES_USER"));
			assertThat(binder.bind("spring.datasource.password", String.class).get()).as(service)
				.isEqualTo(environment("postgres").get("POSTGRES_PASSWORD"));
			assertThat(binder.bind("upscale.crypto", CryptoProperties.class).get().key()).as(service)
				.isEqualTo(PLACEHOLDER);
		}
		assertThat(binder("api-gateway").bind("upscale.gateway", GatewayProperties.class).get().apiKeyHashes())
			.containsExactly(PLACEHOLDER);
		for (String service : List.of("api-gateway", "upscale-worker-1", "upscale-worker-2", "status-poller")) {
			FlowProperties flow = binder(service).bind("flow", FlowProperties.class).get();
			assertThat(flow.apiBaseUrl()).as(service).isEqualTo(URI.create("http://flow-simulator:8090"));
			assertThat(flow.labsBaseUrl()).as(service).isEqualTo(URI.create("http://flow-simulator:8090/fx"));
		}
		assertThat(binder("flow-simulator").bind("flow.simulator.public-base-url", String.class).get())
			.isEqualTo("http://localhost:8090");
	}

	@Test
	void observesTheSystemWithPrometheusGrafanaAndJaegerInTheObservabilityProfile() throws IOException {
		assertThat(servicesOfProfile("observability")).containsExactlyInAnyOrder("prometheus", "grafana", "jaeger");
		String scrapes = Files.readString(Path.of("..", "observability", "prometheus", "prometheus.yml"));
		for (String service : List.of("api-gateway", "upscale-worker-1", "upscale-worker-2", "status-poller")) {
			int port = binder(service).bind("server.port", Integer.class).get();
			assertThat(scrapes).as("Prometheus scrapes %s", service).contains("\"" + service + ":" + port + "\"");
			assertThat(
					binder(service).bind("management.opentelemetry.tracing.export.otlp.endpoint", String.class).get())
				.as(service)
				.isEqualTo("http://jaeger:4318/v1/traces");
		}
		assertThat(environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
			.isEqualTo("/var/lib/grafana/dashboards/veo-upscale.json");
		assertThat(Path.of("..", "observability", "grafana", "dashboards", "veo-upscale.json")).isRegularFile();
	}

	@Test
	void checksHealthOnThePortEachServiceListensOn() throws IOException {
		for (String service : List.of("flow-simulator", "api-gateway", "upscale-worker-1", "upscale-worker-2",
				"status-poller")) {
			int port = binder(service).bind("server.port", Integer.class).get();
			String check = String.join(" ", healthCheck(service));
			assertThat(check).as(service).contains("http://localhost:" + port + "/actuator/health");
		}
		assertThat(String.join(" ", healthCheck("api-gateway"))).endsWith("/actuator/health/readiness");
	}

	private static Binder binder(String service) throws IOException {
		Map<String, Object> environment = Map.copyOf(environment(service));
		StandardEnvironment spring = new StandardEnvironment();
		MutablePropertySources sources = spring.getPropertySources();
		sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		sources.addFirst(new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
		return Binder.get(spring);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> environment(String service) throws IOException {
		Map<String, Object> environment = (Map<String, Object>) services().get(service).get("environment");
		java.util.LinkedHashMap<String, String> interpolated = new java.util.LinkedHashMap<>();
		environment.forEach((name, value) -> interpolated.put(name, interpolate(String.valueOf(value))));
		return interpolated;
	}

	@SuppressWarnings("unchecked")
	private static List<String> healthCheck(String service) throws IOException {
		return (List<String>) ((Map<String, Object>) services().get(service).get("healthcheck")).get("test");
	}

	@SuppressWarnings("unchecked")
	private static String module(String service) throws IOException {
		Map<String, Object> build = (Map<String, Object>) services().get(service).get("build");
		return String.valueOf(((Map<String, Object>) build.get("args")).get("MODULE"));
	}

	private static String string(Map<String, Object> service, String key) {
		return String.valueOf(service.get(key));
	}

	/**
	 * What the file's {@code ${NAME:-default}} and {@code ${NAME:?message}} read with
	 * none of the variables set: the default, or a placeholder for what must be given.
	 */
	private static String interpolate(String value) {
		Matcher matcher = VARIABLE.matcher(value);
		StringBuilder result = new StringBuilder();
		while (matcher.find()) {
			String replacement = "-".equals(matcher.group(2)) ? matcher.group(3) : PLACEHOLDER;
			matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
		}
		return matcher.appendTail(result).toString();
	}

	@SuppressWarnings("unchecked")
	private static List<String> servicesOfProfile(String profile) throws IOException {
		return services().entrySet().stream().filter((service) -> {
			List<String> profiles = (List<String>) service.getValue().get("profiles");
			return (profile == null) ? profiles == null : profiles != null && profiles.contains(profile);
		}).map(Map.Entry::getKey).toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> services() throws IOException {
		Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE_FILE));
		return (Map<String, Map<String, Object>>) compose.get("services");
	}

}
