package io.veoupscale.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.veoupscale.events.UpscaleFinished;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keeps the Grafana dashboard true to the code: every metric its queries read is exposed
 * by a running service's {@code /actuator/prometheus} once one batch went through, so a
 * meter renamed or dropped fails here rather than leaving an empty panel.
 */
class DashboardMetricsIntegrationTests {

	private static final Path DASHBOARD = Path.of("..", "observability", "grafana", "dashboards", "veo-upscale.json");

	private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

	private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
			"offset", "bool", "and", "or", "unless");

	private static RunningSystem system;

	@BeforeAll
	static void startSystem() {
		system = RunningSystem.start();
	}

	@AfterAll
	static void stopSystem() throws InterruptedException {
		system.close();
	}

	@Test
	void readsOnlyMetricsTheServicesExpose() throws IOException {
		Set<String> queried = queriedMetrics();
		assertThat(queried).contains("upscale_batches", "upscale_starts_total", "upscale_events_lag_seconds_bucket");
		runOneBatch();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Set<String> exposed = new TreeSet<>();
			exposed.addAll(exposed(system.gateway(), "/actuator/prometheus"));
			exposed.addAll(exposed(client(system.workerPort()), "/actuator/prometheus"));
			exposed.addAll(exposed(client(system.pollerPort), "/actuator/prometheus"));
			assertThat(queried).allSatisfy((metric) -> assertThat(exposed).as("exposed metrics").contains(metric));
		});
	}

	/**
	 * The metric names in the dashboard's PromQL: identifiers left once strings, label
	 * matchers, ranges, {@code by (...)} clauses and function calls are taken out.
	 */
	static Set<String> queriedMetrics() throws IOException {
		JsonNode dashboard = io.veoupscale.events.UpscaleJson.mapper().readTree(Files.readString(DASHBOARD));
		Set<String> metrics = new TreeSet<>();
		for (JsonNode panel : dashboard.get("panels")) {
			for (JsonNode target : panel.path("targets")) {
				String expr = target.path("expr").asString("");
				String bare = expr.replaceAll("\"[^\"]*\"", "")
					.replaceAll("\\{[^}]*}", "")
					.replaceAll("\\[[^]]*]", "")
					.replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
				Matcher matcher = IDENTIFIER.matcher(bare);
				while (matcher.find()) {
					String name = matcher.group();
					boolean call = bare.substring(matcher.end()).stripLeading().startsWith("(");
					if (!call && !KEYWORDS.contains(name)) {
						metrics.add(name);
					}
				}
			}
		}
		return metrics;
	}

	private static Set<String> exposed(RestClient client, String path) {
		String text = client.get().uri(path).retrieve().body(String.class);
		return text.lines()
			.filter((line) -> !line.isBlank() && !line.startsWith("#"))
			.map((line) -> line.split("[{ ]", 2)[0])
			.collect(Collectors.toSet());
	}

	private static RestClient client(int port) {
		return RestClient.builder().baseUrl("http://localhost:" + port).build();
	}

	private static void runOneBatch() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String profileId = "profile-" + run;
		system.put("/api/v1/profiles/" + profileId,
				java.util.Map.of("name", "Metrics", "loggedIn", true, "flowCookies", java.util.Map.of("sessionToken",
						"session-" + run, "expiresAt", Instant.now().plus(Duration.ofDays(7)).toString())));
		system.put("/api/v1/generations/gen-a-" + run,
				RunningSystem.generation("project-m", profileId, "completed", "media-a-" + run));
		system.put("/api/v1/generations/gen-b-" + run,
				RunningSystem.generation("project-m", profileId, "pending", null));
		JsonNode accepted = system.gateway()
			.post()
			.uri("/api/v1/upscale-batches")
			.contentType(MediaType.APPLICATION_JSON)
			.body(java.util.Map.of("requests",
					java.util.List.of(java.util.Map.of("sourceGenerationId", "gen-a-" + run),
							java.util.Map.of("sourceGenerationId", "gen-b-" + run)),
					"delayMs", 0))
			.retrieve()
			.body(JsonNode.class);
		String batchId = accepted.get("data").get("batchId").asString();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> system.eventsOf(batchId).stream().anyMatch(UpscaleFinished.class::isInstance));
	}

}
