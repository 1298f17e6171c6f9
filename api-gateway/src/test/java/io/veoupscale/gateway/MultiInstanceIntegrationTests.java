package io.veoupscale.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.GatewayClient.Response;
import io.veoupscale.gateway.testing.GatewayIntegrationTest;
import io.veoupscale.gateway.testing.SseStream;
import io.veoupscale.testsupport.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances behind an imaginary load balancer, sharing the broker and the
 * database: a sync request answered by the instance that holds it, idempotency keys that
 * hold across instances, and SSE streams that see events whichever instance they hit.
 */
@GatewayIntegrationTest
class MultiInstanceIntegrationTests {

	private static ConfigurableApplicationContext second;

	private static boolean secondReadsEvents;

	@LocalServerPort
	int port;

	GatewayClient first;

	GatewayClient other;

	String run;

	@BeforeAll
	static void startSecondInstance() {
		List<String> args = new ArrayList<>();
		TestInfrastructure.springProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
		args.add("--server.port=0");
		args.add("--upscale.gateway.api-key-hashes=" + GatewayClient.API_KEY_HASH);
		args.add("--upscale.gateway.sync-timeout=5s");
		args.add("--upscale.gateway.sync-check-interval=10s");
		args.add("--upscale.outbox.poll-interval=200ms");
		second = ApiGatewayApplication.builder().run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stopSecondInstance() {
		second.close();
	}

	@BeforeEach
	void setUp() {
		this.first = new GatewayClient(this.port);
		this.other = new GatewayClient(
				Integer.parseInt(second.getEnvironment().getRequiredProperty("local.server.port")));
		this.run = UUID.randomUUID().toString().substring(0, 8);
		if (!secondReadsEvents) {
			awaitSecondInstanceReadingEvents();
			secondReadsEvents = true;
		}
	}

	/**
	 * Waits until the second instance's events consumer is positioned: it streams the
	 * events of one of the probe batches submitted to the first.
	 */
	private void awaitSecondInstanceReadingEvents() {
		try (SseStream stream = SseStream.open(this.other, "", null)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments().contains("connected"));
			List<String> probes = new ArrayList<>();
			await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
				probes.add(this.first
					.post("/api/v1/upscale-batches",
							Map.of("requests", List.of(Map.of("sourceGenerationId", "probe-" + this.run))))
					.json()
					.get("data")
					.get("batchId")
					.asString());
				return probes.stream().anyMatch((probe) -> !stream.framesOf(probe).isEmpty());
			});
		}
	}

	@Test
	void answersASyncRequestFromTheEventsOfTheInstanceThatHoldsIt() {
		Response response = this.other.post("/api/v1/upscale-batches/sync",
				Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-a-" + this.run),
						Map.of("sourceGenerationId", "gen-fail-" + this.run)), "delayMs", 0));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().get("complete").asBoolean()).isTrue();
		assertThat(response.json().get("data").get(0).get("success").asBoolean()).isTrue();
		assertThat(response.json().get("data").get(1).get("success").asBoolean()).isFalse();
	}

	@Test
	void replaysAnIdempotencyKeyOnAnotherInstance() {
		Map<String, Object> body = Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-" + this.run)));
		String key = "key-" + this.run;

		Response original = this.first.post("/api/v1/upscale-batches", body, "Idempotency-Key", key);
		Response replay = this.other.post("/api/v1/upscale-batches", body, "Idempotency-Key", key);

		assertThat(original.status()).isEqualTo(202);
		assertThat(replay.status()).isEqualTo(202);
		assertThat(replay.body()).isEqualTo(original.body());
		assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
	}

	@Test
	void streamsEventsOfBatchesSubmittedToAnotherInstance() {
		try (SseStream stream = SseStream.open(this.other, "", null)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments().contains("connected"));

			String batchId = this.first
				.post("/api/v1/upscale-batches",
						Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-" + this.run)), "delayMs", 0))
				.json()
				.get("data")
				.get("batchId")
				.asString();

			await().atMost(Duration.ofSeconds(10)).until(() -> stream.framesOf(batchId).size() == 3);
			assertThat(stream.framesOf(batchId)).extracting(SseStream.Frame::event)
				.containsExactly("veo3:batch:upscale:started", "veo3:batch:upscale:progress",
						"veo3:batch:upscale:completed");
		}
	}

}
