package io.veoupscale.systemtests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleFinished;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton, end to end: a batch posted to the gateway is validated and
 * started by the worker at the simulated Flow, reported on the events topic, and tracked
 * by the poller to its video URL.
 */
class UpscalePipelineIntegrationTests {

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
	void upscalesABatchEndToEndWithPacingValidationAndPolling() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String profileId = "profile-" + run;
		String first = "gen-a-" + run;
		String pending = "gen-b-" + run;
		String second = "gen-c-" + run;
		system.put("/api/v1/profiles/" + profileId, Map.of("name", "E2E", "loggedIn", true, "flowCookies", Map
			.of("sessionToken", "session-" + run, "expiresAt", Instant.now().plus(Duration.ofDays(7)).toString())));
		system.put("/api/v1/generations/" + first,
				RunningSystem.generation("project-e2e", profileId, "completed", "media-a-" + run));
		system.put("/api/v1/generations/" + pending,
				RunningSystem.generation("project-e2e", profileId, "pending", null));
		system.put("/api/v1/generations/" + second,
				RunningSystem.generation("project-e2e", profileId, "completed", "media-c-" + run));

		ResponseEntity<JsonNode> accepted = system.gateway()
			.post()
			.uri("/api/v1/upscale-batches")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("requests",
					List.of(Map.of("sourceGenerationId", first), Map.of("sourceGenerationId", pending),
							Map.of("sourceGenerationId", second, "model", "veo_3_1_upsampler_1080p")),
					"delayMs", 300))
			.retrieve()
			.toEntity(JsonNode.class);

		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(accepted.getBody().get("success").asBoolean()).isTrue();
		assertThat(accepted.getBody().get("data").get("total").asInt()).isEqualTo(3);
		String batchId = accepted.getBody().get("data").get("batchId").asString();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> system.eventsOf(batchId).stream().anyMatch(BatchCompleted.class::isInstance));
		List<BatchEvent> events = system.eventsOf(batchId);
		assertThat(events.get(0)).isInstanceOfSatisfying(BatchStarted.class, (started) -> {
			assertThat(started.total()).isEqualTo(3);
			assertThat(started.sourceGenerationIds()).containsExactly(first, pending, second);
		});
		List<ItemProgressed> progress = events.stream()
			.filter(ItemProgressed.class::isInstance)
			.map(ItemProgressed.class::cast)
			.toList();
		assertThat(progress).extracting(ItemProgressed::index).containsExactly(1, 2, 3);
		assertThat(progress).extracting(ItemProgressed::total).containsOnly(3);
		assertThat(progress).extracting(ItemProgressed::sourceGenerationId).containsExactly(first, pending, second);
		assertThat(progress).extracting(ItemProgressed::success).containsExactly(true, false, true);
		assertThat(progress.get(1).error()).isEqualTo("Source video must be completed before upscaling");
		assertThat(progress.get(0).upscaleId()).isNotBlank();
		assertThat(progress.get(0).operationName()).isNotBlank();
		assertThat(events.stream().filter(BatchCompleted.class::isInstance).toList()).singleElement()
			.isInstanceOfSatisfying(BatchCompleted.class, (completed) -> {
				assertThat(completed.successCount()).isEqualTo(2);
				assertThat(completed.failureCount()).isEqualTo(1);
				assertThat(completed.total()).isEqualTo(3);
			});

		List<String> sceneIds = List.of(progress.get(0).sceneId(), progress.get(2).sceneId());
		assertThat(system.sql.sql("select scene_id::text from upscales where batch_id = :id order by item_index")
			.param("id", batchId)
			.query(String.class)
			.list()).containsExactlyElementsOf(sceneIds);

		JsonNode starts = system.simulator().get().uri("/admin/starts").retrieve().body(JsonNode.class);
		for (String sceneId : sceneIds) {
			assertThat(starts.get("startsByScene").get(sceneId).asInt()).as("starts of scene %s", sceneId).isEqualTo(1);
		}
		List<Instant> startTimes = startTimesOf(starts, sceneIds);
		assertThat(Duration.between(startTimes.get(0), startTimes.get(1)))
			.isGreaterThanOrEqualTo(Duration.ofMillis(300));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					system.sql.sql("select status, video_url from upscales where batch_id = :id order by item_index")
						.param("id", batchId)
						.query((rs, row) -> rs.getString("status") + " " + (rs.getString("video_url") != null))
						.list())
				.containsExactly("completed true", "completed true"));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(system.eventsOf(batchId)
				.stream()
				.filter(UpscaleFinished.class::isInstance)
				.map(UpscaleFinished.class::cast)
				.toList()).hasSize(2).allSatisfy((finished) -> {
					assertThat(finished.status()).isEqualTo("completed");
					assertThat(finished.videoUrl()).startsWith("http://");
				}));
	}

	private static List<Instant> startTimesOf(JsonNode starts, List<String> sceneIds) {
		return sceneIds.stream().map((sceneId) -> {
			for (JsonNode start : starts.get("starts")) {
				if (sceneId.equals(start.get("sceneId").asString())) {
					return Instant.parse(start.get("receivedAt").asString());
				}
			}
			throw new AssertionError("No start seen for scene " + sceneId);
		}).toList();
	}

}
