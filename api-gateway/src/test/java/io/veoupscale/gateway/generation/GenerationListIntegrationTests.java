package io.veoupscale.gateway.generation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.GatewayClient.Response;
import io.veoupscale.gateway.testing.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed's listByStatus over HTTP: filters by status and project, newest first, each
 * generation with {@code hasUpscale}, and filtering on it.
 */
@GatewayIntegrationTest
class GenerationListIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient sql;

	@Test
	void listsCompletedGenerationsOfAProjectNewestFirstWithHasUpscale() {
		GatewayClient gateway = new GatewayClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String project = "project-" + run;
		List<String> ids = List.of("gen-old-" + run, "gen-upscaled-" + run, "gen-pending-" + run, "gen-new-" + run);
		for (String id : ids) {
			Response saved = gateway.put("/api/v1/generations/" + id,
					Map.of("projectId", project, "profileId", "profile-" + run, "status",
							id.contains("pending") ? "pending" : "completed", "mediaGenerationId", "media-" + id,
							"flowProjectId", "flow-" + run));
			assertThat(saved.status()).as(saved.body()).isEqualTo(201);
		}
		gateway.put("/api/v1/generations/gen-other-" + run,
				Map.of("projectId", "other-" + run, "profileId", "profile-" + run, "status", "completed"));
		this.sql.sql("update generations set created_at = now() - (interval '1 minute' * :age) where id = :id")
			.param("age", 3)
			.param("id", ids.get(0))
			.update();
		this.sql.sql("update generations set created_at = now() - (interval '1 minute' * :age) where id = :id")
			.param("age", 2)
			.param("id", ids.get(1))
			.update();
		String batchId = gateway
			.post("/api/v1/upscale-batches",
					Map.of("requests", List.of(Map.of("sourceGenerationId", ids.get(1))), "delayMs", 0))
			.json()
			.get("data")
			.get("batchId")
			.asString();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> gateway.get("/api/v1/upscale-batches/" + batchId).status() == 200);

		JsonNode all = list(gateway, "?status=completed&projectId=" + project);
		JsonNode without = list(gateway, "?status=completed&projectId=" + project + "&hasUpscale=false");
		JsonNode with = list(gateway, "?status=completed&projectId=" + project + "&hasUpscale=true");
		JsonNode limited = list(gateway, "?status=completed&projectId=" + project + "&limit=1");

		assertThat(idsOf(all)).containsExactly("gen-new-" + run, "gen-upscaled-" + run, "gen-old-" + run);
		assertThat(all.get(1).get("hasUpscale").asBoolean()).isTrue();
		assertThat(all.get(0).get("hasUpscale").asBoolean()).isFalse();
		assertThat(all.get(0).get("projectId").asString()).isEqualTo(project);
		assertThat(all.get(0).get("status").asString()).isEqualTo("completed");
		assertThat(idsOf(without)).containsExactly("gen-new-" + run, "gen-old-" + run);
		assertThat(idsOf(with)).containsExactly("gen-upscaled-" + run);
		assertThat(idsOf(limited)).containsExactly("gen-new-" + run);
	}

	@Test
	void showsOneGenerationAnd404ForAnUnknownOne() {
		GatewayClient gateway = new GatewayClient(this.port);
		String id = "gen-" + UUID.randomUUID();
		gateway.put("/api/v1/generations/" + id,
				Map.of("projectId", "p1", "profileId", "prof1", "status", "processing"));

		Response found = gateway.get("/api/v1/generations/" + id);
		Response missing = gateway.get("/api/v1/generations/missing-" + id);

		assertThat(found.status()).isEqualTo(200);
		assertThat(found.json().get("data").get("status").asString()).isEqualTo("processing");
		assertThat(found.json().get("data").get("hasUpscale").asBoolean()).isFalse();
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.json().get("success").asBoolean()).isFalse();
	}

	private static JsonNode list(GatewayClient gateway, String query) {
		Response response = gateway.get("/api/v1/generations" + query);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json().get("data");
	}

	private static List<String> idsOf(JsonNode generations) {
		List<String> ids = new ArrayList<>();
		generations.forEach((generation) -> ids.add(generation.get("id").asString()));
		return ids;
	}

}
