package io.veoupscale.systemtests;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleFinished;
import io.veoupscale.simulator.SimulatedAccounts;
import io.veoupscale.testsupport.SimulatorAdmin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flow as it is in 2026, seen from the gateway: a Short registered as portrait reaches
 * Flow as portrait, the seed's default model reaches it as its current key and the
 * upscale says so, a profile shows its quota hold, tier and credits, and a video link is
 * never handed out past its age (here: always renewed) once Flow's link has expired.
 */
class Flow2026GatewayIntegrationTests {

	private static RunningSystem system;

	private static SimulatorAdmin flow;

	@BeforeAll
	static void startSystem() {
		system = RunningSystem.start(Map.of("upscale.gateway.video-links.max-age", "0s"));
		flow = new SimulatorAdmin(system.simulatorPort);
	}

	@AfterAll
	static void stopSystem() throws InterruptedException {
		system.close();
	}

	@Test
	void upscalesAPortraitShortWithTheCurrentModelKeyAndHandsOutOnlyLinksThatWork() {
		String run = run();
		String profile = profile(run);
		Map<String, Object> body = RunningSystem.generation("project-" + run, profile, "completed", "media-" + run);
		body.put("aspectRatio", "portrait");
		system.put("/api/v1/generations/short-" + run, body);
		flow.registerSource("media-" + run, "VIDEO_ASPECT_RATIO_PORTRAIT");
		assertThat(system.gateway()
			.get()
			.uri("/api/v1/generations/short-" + run)
			.retrieve()
			.body(JsonNode.class)
			.at("/data/aspectRatio")
			.asString()).isEqualTo("portrait");

		String batchId = submit(List.of(Map.of("sourceGenerationId", "short-" + run)));
		ItemProgressed started = awaitProgress(batchId).get(0);
		assertThat(started.success()).as(String.valueOf(started.error())).isTrue();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> system.eventsOf(batchId).stream().anyMatch(UpscaleFinished.class::isInstance));

		assertThat(flow.startsOf(started.sceneId())).singleElement().satisfies((start) -> {
			assertThat(start.aspectRatio()).isEqualTo("VIDEO_ASPECT_RATIO_PORTRAIT");
			assertThat(start.model()).isEqualTo("veo_3_1_upsampler_1080p");
		});
		JsonNode upscale = upscale(started.upscaleId());
		assertThat(upscale.path("model").asString()).isEqualTo("veo_2_1080p_upsampler_8s");
		assertThat(upscale.path("modelKey").asString()).isEqualTo("veo_3_1_upsampler_1080p");
		String firstLink = upscale.path("videoUrl").asString();
		assertThat(fetch(firstLink)).isEqualTo(HttpStatus.OK);

		flow.advanceClock(Duration.ofHours(7));

		assertThat(fetch(firstLink)).as("Flow's link expired").isEqualTo(HttpStatus.FORBIDDEN);
		String renewed = upscale(started.upscaleId()).path("videoUrl").asString();
		assertThat(renewed).isNotEqualTo(firstLink);
		assertThat(fetch(renewed)).isEqualTo(HttpStatus.OK);
		ResponseEntity<JsonNode> redirect = RestClient.builder()
			.baseUrl("http://localhost:" + system.gatewayPort)
			.requestFactory(new JdkClientHttpRequestFactory())
			.defaultHeader("Authorization", "Bearer " + RunningSystem.API_KEY)
			.build()
			.get()
			.uri("/api/v1/upscales/" + started.upscaleId() + "/video")
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(redirect.getStatusCode()).isEqualTo(HttpStatus.FOUND);
		assertThat(fetch(redirect.getHeaders().getLocation().toString())).isEqualTo(HttpStatus.OK);
	}

	@Test
	void refusesAnAspectRatioItDoesNotKnowNamingTheField() {
		Map<String, Object> body = RunningSystem.generation("p", "prof", "completed", "m");
		body.put("aspectRatio", "vertical");

		ResponseEntity<JsonNode> refused = system.gateway()
			.put()
			.uri("/api/v1/generations/bad-" + run())
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(JsonNode.class);

		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(refused.getBody().path("error").asString())
			.isEqualTo("aspectRatio must be one of landscape, portrait, square");
	}

	@Test
	void showsAProfileHeldForItsQuotaWithItsTierAndCredits() {
		String run = run();
		String profile = profile(run);
		flow.configureAccount(SimulatedAccounts.accountOf("session-" + run),
				Map.of("tier", "PAYGATE_TIER_ONE", "credits", 75, "dailyQuota", 0));
		for (String id : List.of("a", "b", "c")) {
			system.put("/api/v1/generations/" + id + "-" + run,
					RunningSystem.generation("project-" + run, profile, "completed", "media-" + id + "-" + run));
		}

		String batchId = submit(List.of(Map.of("sourceGenerationId", "a-" + run),
				Map.of("sourceGenerationId", "b-" + run, "model", "veo_3_1_upsampler_4k"),
				Map.of("sourceGenerationId", "c-" + run)));

		List<ItemProgressed> progress = awaitProgress(batchId);
		assertThat(progress).extracting(ItemProgressed::error)
			.allSatisfy((error) -> assertThat(error).startsWith("Upscale request failed: "));
		assertThat(progress.get(0).error()).contains("PUBLIC_ERROR_USER_QUOTA_REACHED");
		assertThat(progress.get(2).error()).contains("PUBLIC_ERROR_USER_QUOTA_REACHED", "no start until it resets");
		JsonNode shown = system.gateway()
			.get()
			.uri("/api/v1/profiles/" + profile)
			.retrieve()
			.body(JsonNode.class)
			.path("data");
		assertThat(shown.path("state").asString()).isEqualTo("quota_held");
		Instant midnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
		assertThat(Instant.parse(shown.path("quotaHeldUntil").asString())).isEqualTo(midnight);
		assertThat(shown.path("lastRefusalReason").asString()).isEqualTo("PUBLIC_ERROR_USER_QUOTA_REACHED");
		assertThat(shown.path("tier").asString()).isEqualTo("PAYGATE_TIER_ONE");
		assertThat(shown.path("credits").asInt()).isEqualTo(75);
		assertThat(shown.toString()).doesNotContain("session-" + run);
		assertThat(flow.starts())
			.filteredOn((start) -> SimulatedAccounts.accountOf("session-" + run).equals(start.account()))
			.extracting(SimulatorAdmin.StartCall::outcome)
			.containsExactly("429");
	}

	private static String profile(String run) {
		String profile = "profile-" + run;
		system.put("/api/v1/profiles/" + profile, Map.of("name", "2026", "loggedIn", true, "flowCookies", Map
			.of("sessionToken", "session-" + run, "expiresAt", Instant.now().plus(Duration.ofDays(7)).toString())));
		return profile;
	}

	private static String submit(List<Map<String, Object>> requests) {
		ResponseEntity<JsonNode> accepted = system.gateway()
			.post()
			.uri("/api/v1/upscale-batches")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("requests", requests, "delayMs", 0))
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		return accepted.getBody().at("/data/batchId").asString();
	}

	private static List<ItemProgressed> awaitProgress(String batchId) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> system.eventsOf(batchId).stream().anyMatch(BatchCompleted.class::isInstance));
		return system.eventsOf(batchId)
			.stream()
			.filter(ItemProgressed.class::isInstance)
			.map(ItemProgressed.class::cast)
			.toList();
	}

	private static JsonNode upscale(String upscaleId) {
		ResponseEntity<JsonNode> response = system.gateway()
			.get()
			.uri("/api/v1/upscales/" + upscaleId)
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		return response.getBody().path("data");
	}

	private static HttpStatus fetch(String url) {
		return HttpStatus.valueOf(RestClient.builder()
			.requestFactory(new JdkClientHttpRequestFactory())
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build()
			.get()
			.uri(java.net.URI.create(url))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.value());
	}

	private static String run() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
