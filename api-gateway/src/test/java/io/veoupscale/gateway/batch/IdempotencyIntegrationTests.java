package io.veoupscale.gateway.batch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.veoupscale.gateway.testing.FakeWorker;
import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.GatewayClient.Response;
import io.veoupscale.gateway.testing.GatewayIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idempotency-Key on the batch endpoints with Stripe's semantics, kept in PostgreSQL:
 * replay without a second batch, 422 for another body, 409 while the first is in flight.
 */
@GatewayIntegrationTest
class IdempotencyIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	FakeWorker worker;

	@Autowired
	JdbcClient sql;

	GatewayClient gateway;

	String run;

	@BeforeEach
	void setUp() {
		this.gateway = new GatewayClient(this.port);
		this.run = UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void replaysTheFirstAnswerForTheSameKeyAndBodyAndStartsNothing() {
		String key = "key-" + this.run;
		Map<String, Object> body = Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-" + this.run)));

		Response first = this.gateway.post("/api/v1/upscale-batches", body, "Idempotency-Key", key);
		String batchId = first.json().get("data").get("batchId").asString();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.worker.deliveries(batchId) == 1);
		Response second = this.gateway.post("/api/v1/upscale-batches",
				"{ \"delayMs\": 1500, \"requests\": [ {\"sourceGenerationId\": \"gen-" + this.run
						+ "\", \"model\": \"veo_2_1080p_upsampler_8s\", \"note\": \"ignored\"} ] }",
				"Idempotency-Key", key);

		assertThat(first.status()).isEqualTo(202);
		assertThat(first.header(BatchController.REPLAYED)).isNull();
		assertThat(second.status()).isEqualTo(202);
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(second.header(BatchController.REPLAYED)).isEqualTo("true");
		assertThat(BatchEndpointsIntegrationTests.requestsFor(batchId)).hasSize(1);
		assertThat(this.sql.sql("select count(*) from batches where id = :id")
			.param("id", batchId)
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void refusesTheSameKeyWithAnotherBodyOrEndpointWith422() {
		String key = "key-" + this.run;
		Map<String, Object> body = Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-" + this.run)));
		assertThat(this.gateway.post("/api/v1/upscale-batches", body, "Idempotency-Key", key).status()).isEqualTo(202);

		Response otherBody = this.gateway.post("/api/v1/upscale-batches",
				Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-" + this.run)), "delayMs", 2000),
				"Idempotency-Key", key);
		Response otherEndpoint = this.gateway.post("/api/v1/upscale-batches/sync", body, "Idempotency-Key", key);

		assertThat(otherBody.status()).isEqualTo(422);
		assertThat(otherBody.json().get("success").asBoolean()).isFalse();
		assertThat(otherBody.json().get("error").asString()).contains("Idempotency-Key").contains("different request");
		assertThat(otherEndpoint.status()).isEqualTo(422);
	}

	@Test
	void refusesAConcurrentDuplicateWith409ThenReplaysTheAnswer() {
		String key = "key-" + this.run;
		Map<String, Object> body = Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-hang-" + this.run)));
		CompletableFuture<Response> first = this.gateway.sendAsync("POST", "/api/v1/upscale-batches/sync",
				GatewayClient.json(body), "Content-Type", "application/json", "Idempotency-Key", key);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.sql.sql("select count(*) from idempotency_keys where idempotency_key = :key")
				.param("key", key)
				.query(Integer.class)
				.single() == 1);

		Response duplicate = this.gateway.post("/api/v1/upscale-batches/sync", body, "Idempotency-Key", key);

		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.json().get("error").asString()).contains("still in progress");
		Response answer = first.join();
		assertThat(answer.status()).isEqualTo(202);
		assertThat(answer.json().get("complete").asBoolean()).isFalse();
		Response replay = this.gateway.post("/api/v1/upscale-batches/sync", body, "Idempotency-Key", key);
		assertThat(replay.status()).isEqualTo(202);
		assertThat(replay.body()).isEqualTo(answer.body());
		assertThat(replay.header(BatchController.REPLAYED)).isEqualTo("true");
	}

	@Test
	void keepsKeysOfDifferentClientsApart() {
		String key = "key-" + this.run;
		this.sql.sql("""
				insert into idempotency_keys (client, idempotency_key, request_hash, resource_id, state,
				                              response_status, response_body)
				values ('another-client', :key, :hash, 'other-batch', 'completed', 202, '{"success":true}')
				""").param("key", key).param("hash", "0".repeat(64)).update();

		Response response = this.gateway.post("/api/v1/upscale-batches",
				Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-" + this.run))), "Idempotency-Key", key);

		assertThat(response.status()).isEqualTo(202);
		assertThat(response.json().get("data").get("batchId").asString()).isNotEqualTo("other-batch");
	}

}
