package io.veoupscale.gateway.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.veoupscale.gateway.testing.FakeWorker;
import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.GatewayClient.Response;
import io.veoupscale.gateway.testing.GatewayIntegrationTest;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The batch endpoints on the real broker and database, with a fake worker: async, sync
 * (complete and past its timeout), batch state, and the answers being exactly the seed's.
 */
@GatewayIntegrationTest
class BatchEndpointsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient sql;

	@Autowired
	Environment environment;

	@Autowired
	FakeWorker worker;

	GatewayClient gateway;

	String run;

	@BeforeEach
	void setUp() {
		this.gateway = new GatewayClient(this.port);
		this.run = UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void loadsTheGatewaysOwnConfigurationFile() {
		assertThat(this.environment.getProperty("spring.application.name")).isEqualTo("api-gateway");
	}

	@Test
	void acceptsAnAsyncBatchOnceItIsInKafka() {
		Response response = this.gateway.post("/api/v1/upscale-batches",
				Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-a-" + this.run),
						Map.of("sourceGenerationId", "gen-b-" + this.run, "model", "veo_3_1_upsampler_4k"))));

		assertThat(response.status()).isEqualTo(202);
		JsonNode body = response.json();
		assertThat(body.get("success").asBoolean()).isTrue();
		assertThat(body.get("data").get("total").asInt()).isEqualTo(2);
		String batchId = body.get("data").get("batchId").asString();
		assertThat(batchId).matches("[0-9a-f]{32}");
		List<ConsumerRecord<String, String>> records = requestsFor(batchId);
		assertThat(records).singleElement().satisfies((record) -> {
			BatchRequested command = UpscaleJson.read(record.value(), BatchRequested.class);
			assertThat(command.batchId()).isEqualTo(batchId);
			assertThat(command.delayMs()).isEqualTo(1500);
			assertThat(command.requestedAt()).isNotNull();
			assertThat(command.requests()).extracting((request) -> request.sourceGenerationId())
				.containsExactly("gen-a-" + this.run, "gen-b-" + this.run);
			assertThat(command.requests().get(1).model()).isEqualTo("veo_3_1_upsampler_4k");
		});
	}

	@Test
	void answersASyncBatchWithTheSeedsItemResultsInRequestOrder() {
		String first = "gen-1-" + this.run;
		String failing = "gen-fail-" + this.run;
		String third = "gen-3-" + this.run;

		Response response = this.gateway.post("/api/v1/upscale-batches/sync",
				Map.of("requests", List.of(Map.of("sourceGenerationId", first), Map.of("sourceGenerationId", failing),
						Map.of("sourceGenerationId", third)), "delayMs", 0));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.get("success").asBoolean()).isTrue();
		assertThat(body.get("complete").asBoolean()).isTrue();
		String batchId = body.get("batchId").asString();
		JsonNode data = body.get("data");
		assertThat(data).hasSize(3);
		assertThat(fieldNames(data.get(0))).containsExactly("success", "upscaleId", "sceneId", "operationName",
				"sourceGenerationId");
		assertThat(data.get(0).get("success").asBoolean()).isTrue();
		assertThat(data.get(0).get("upscaleId").asString()).isEqualTo(FakeWorker.upscaleId(batchId, 1));
		assertThat(data.get(0).get("sceneId").asString()).isEqualTo(FakeWorker.sceneId(batchId, 1));
		assertThat(data.get(0).get("operationName").asString())
			.isEqualTo("operations/" + FakeWorker.upscaleId(batchId, 1));
		assertThat(data.get(0).get("sourceGenerationId").asString()).isEqualTo(first);
		assertThat(fieldNames(data.get(1))).containsExactly("success", "error", "sourceGenerationId");
		assertThat(data.get(1).get("success").asBoolean()).isFalse();
		assertThat(data.get(1).get("error").asString()).isEqualTo(FakeWorker.FAILURE);
		assertThat(data.get(1).get("sourceGenerationId").asString()).isEqualTo(failing);
		assertThat(data.get(2).get("sourceGenerationId").asString()).isEqualTo(third);
		assertThat(data.get(2).get("success").asBoolean()).isTrue();
	}

	@Test
	void answersASyncBatchPastItsTimeoutWithWhatIsKnownMarkedIncomplete() {
		String first = "gen-1-" + this.run;
		String hanging = "gen-hang-" + this.run;
		long started = System.nanoTime();

		Response response = this.gateway.post("/api/v1/upscale-batches/sync", Map.of("requests",
				List.of(Map.of("sourceGenerationId", first), Map.of("sourceGenerationId", hanging))));

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(3))
			.isLessThan(Duration.ofSeconds(10));
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		JsonNode body = response.json();
		assertThat(body.get("success").asBoolean()).isTrue();
		assertThat(body.get("complete").asBoolean()).isFalse();
		assertThat(body.get("message").asString()).startsWith("Incomplete");
		String batchId = body.get("batchId").asString();
		assertThat(body.get("data").get(0).get("success").asBoolean()).isTrue();
		assertThat(body.get("data").get(0).get("upscaleId").asString()).isEqualTo(FakeWorker.upscaleId(batchId, 1));
		assertThat(body.get("data").get(1).get("pending").asBoolean()).isTrue();
		assertThat(body.get("data").get(1).get("success").asBoolean()).isFalse();
		assertThat(body.get("data").get(1).get("sourceGenerationId").asString()).isEqualTo(hanging);
		Response state = this.gateway.get("/api/v1/upscale-batches/" + batchId);
		assertThat(state.json().get("data").get("status").asString()).isEqualTo("running");
	}

	@Test
	void showsTheStateOfABatchWithItsItemsAndUpscales() {
		String first = "gen-1-" + this.run;
		String failing = "gen-fail-" + this.run;
		Instant before = Instant.now().minusSeconds(1);
		String batchId = this.gateway
			.post("/api/v1/upscale-batches",
					Map.of("requests",
							List.of(Map.of("sourceGenerationId", first, "model", "veo_3_1_upsampler_1080p"),
									Map.of("sourceGenerationId", failing)),
							"delayMs", 250))
			.json()
			.get("data")
			.get("batchId")
			.asString();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "completed".equals(this.gateway.get("/api/v1/upscale-batches/" + batchId)
				.json()
				.path("data")
				.path("status")
				.asString("")));
		String upscaleId = FakeWorker.upscaleId(batchId, 1);
		this.sql.sql(
				"update upscales set status = 'completed', video_url = :url, video_url_at = now(), completed_at = now() where id = :id")
			.param("url", "https://videos.example/" + upscaleId + ".mp4")
			.param("id", upscaleId)
			.update();

		Response response = this.gateway.get("/api/v1/upscale-batches/" + batchId);

		assertThat(response.status()).isEqualTo(200);
		JsonNode batch = response.json().get("data");
		assertThat(batch.get("batchId").asString()).isEqualTo(batchId);
		assertThat(batch.get("status").asString()).isEqualTo("completed");
		assertThat(batch.get("total").asInt()).isEqualTo(2);
		assertThat(batch.get("successCount").asInt()).isEqualTo(1);
		assertThat(batch.get("failureCount").asInt()).isEqualTo(1);
		assertThat(batch.get("pendingCount").asInt()).isZero();
		assertThat(batch.get("delayMs").asInt()).isEqualTo(250);
		assertThat(Instant.parse(batch.get("requestedAt").asString())).isAfter(before);
		assertThat(batch.get("completedAt").isString()).isTrue();
		JsonNode started = batch.get("items").get(0);
		assertThat(started.get("index").asInt()).isEqualTo(1);
		assertThat(started.get("sourceGenerationId").asString()).isEqualTo(first);
		assertThat(started.get("model").asString()).isEqualTo("veo_3_1_upsampler_1080p");
		assertThat(started.get("success").asBoolean()).isTrue();
		assertThat(started.get("upscaleId").asString()).isEqualTo(upscaleId);
		assertThat(started.get("sceneId").asString()).isEqualTo(FakeWorker.sceneId(batchId, 1));
		assertThat(started.get("operationName").asString()).isEqualTo("operations/" + upscaleId);
		assertThat(started.get("upscaleStatus").asString()).isEqualTo("completed");
		assertThat(started.get("videoUrl").asString()).endsWith(upscaleId + ".mp4");
		JsonNode failed = batch.get("items").get(1);
		assertThat(failed.get("index").asInt()).isEqualTo(2);
		assertThat(failed.get("success").asBoolean()).isFalse();
		assertThat(failed.get("error").asString()).isEqualTo(FakeWorker.FAILURE);
		assertThat(failed.has("upscaleId")).isFalse();
		assertThat(failed.get("model").asString()).isEqualTo("veo_2_1080p_upsampler_8s");

		Response upscale = this.gateway.get("/api/v1/upscales/" + upscaleId);
		assertThat(upscale.status()).isEqualTo(200);
		assertThat(upscale.json().get("data").get("status").asString()).isEqualTo("completed");
		assertThat(upscale.json().get("data").get("batchId").asString()).isEqualTo(batchId);
		assertThat(upscale.json().get("data").get("videoUrl").asString()).endsWith(".mp4");

		this.sql.sql("update upscales set video_url_at = now() - interval '2 hours' where id = :id")
			.param("id", upscaleId)
			.update();
		JsonNode stale = this.gateway.get("/api/v1/upscale-batches/" + batchId).json().get("data").get("items").get(0);
		assertThat(stale.has("videoUrl")).as("a link older than video-links.max-age (1h) is not handed out").isFalse();
		assertThat(stale.get("upscaleStatus").asString()).isEqualTo("completed");
	}

	@Test
	void showsAnAcceptedBatchAsQueuedUntilAWorkerReceivesIt() {
		String first = "gen-q1-" + this.run;
		String second = "gen-q2-" + this.run;
		Instant before = Instant.now().minusSeconds(1);
		String batchId;
		this.worker.holdIntake();
		try {
			batchId = this.gateway
				.post("/api/v1/upscale-batches",
						Map.of("requests",
								List.of(Map.of("sourceGenerationId", first, "model", "veo_3_1_upsampler_4k"),
										Map.of("sourceGenerationId", second)),
								"delayMs", 300))
				.json()
				.get("data")
				.get("batchId")
				.asString();

			Response response = this.gateway.get("/api/v1/upscale-batches/" + batchId);

			assertThat(this.sql.sql("select count(*) from batches where id = :id")
				.param("id", batchId)
				.query(Integer.class)
				.single()).as("no worker has stored the batch yet").isZero();
			assertThat(response.status()).isEqualTo(200);
			JsonNode batch = response.json().get("data");
			assertThat(batch.get("batchId").asString()).isEqualTo(batchId);
			assertThat(batch.get("status").asString()).isEqualTo("queued");
			assertThat(batch.get("total").asInt()).isEqualTo(2);
			assertThat(batch.get("successCount").asInt()).isZero();
			assertThat(batch.get("failureCount").asInt()).isZero();
			assertThat(batch.get("pendingCount").asInt()).isEqualTo(2);
			assertThat(batch.get("delayMs").asInt()).isEqualTo(300);
			assertThat(Instant.parse(batch.get("requestedAt").asString())).isAfter(before);
			assertThat(Instant.parse(batch.get("acceptedAt").asString()))
				.isAfterOrEqualTo(Instant.parse(batch.get("requestedAt").asString()));
			assertThat(fieldNames(batch)).doesNotContain("receivedAt", "startedAt", "completedAt");
			JsonNode items = batch.get("items");
			assertThat(items).hasSize(2);
			assertThat(fieldNames(items.get(0))).containsExactly("index", "sourceGenerationId", "model");
			assertThat(items.get(0).get("index").asInt()).isEqualTo(1);
			assertThat(items.get(0).get("sourceGenerationId").asString()).isEqualTo(first);
			assertThat(items.get(0).get("model").asString()).isEqualTo("veo_3_1_upsampler_4k");
			assertThat(items.get(1).get("index").asInt()).isEqualTo(2);
			assertThat(items.get(1).get("sourceGenerationId").asString()).isEqualTo(second);
			assertThat(items.get(1).get("model").asString()).isEqualTo("veo_2_1080p_upsampler_8s");
		}
		finally {
			this.worker.resumeIntake();
		}

		await().atMost(Duration.ofSeconds(10))
			.until(() -> "completed".equals(this.gateway.get("/api/v1/upscale-batches/" + batchId)
				.json()
				.path("data")
				.path("status")
				.asString("")));
		JsonNode stored = this.gateway.get("/api/v1/upscale-batches/" + batchId).json().get("data");
		assertThat(stored.get("receivedAt").isString()).isTrue();
		assertThat(stored.get("acceptedAt").isString()).isTrue();
		assertThat(stored.get("items").get(0).get("success").asBoolean()).isTrue();
		assertThat(stored.get("items").get(0).get("upscaleId").asString()).isEqualTo(FakeWorker.upscaleId(batchId, 1));
	}

	@Test
	void showsASyncBatchAsQueuedOnceItsWaitEndedWithoutAWorker() {
		String source = "gen-qs-" + this.run;
		this.worker.holdIntake();
		try {
			Response response = this.gateway.post("/api/v1/upscale-batches/sync",
					Map.of("requests", List.of(Map.of("sourceGenerationId", source))));
			assertThat(response.status()).isEqualTo(202);
			String batchId = response.json().get("batchId").asString();

			JsonNode batch = this.gateway.get("/api/v1/upscale-batches/" + batchId).json().get("data");

			assertThat(batch.get("status").asString()).isEqualTo("queued");
			assertThat(batch.get("items").get(0).get("sourceGenerationId").asString()).isEqualTo(source);
		}
		finally {
			this.worker.resumeIntake();
		}
	}

	@Test
	void answers404ForAnUnknownBatchOrUpscale() {
		Response batch = this.gateway.get("/api/v1/upscale-batches/unknown-" + this.run);
		Response upscale = this.gateway.get("/api/v1/upscales/unknown-" + this.run);

		assertThat(batch.status()).isEqualTo(404);
		assertThat(batch.json().get("success").asBoolean()).isFalse();
		assertThat(batch.json().get("error").asString()).isEqualTo("Batch unknown-" + this.run + " not found");
		assertThat(upscale.status()).isEqualTo(404);
		assertThat(upscale.json().get("error").asString()).isEqualTo("Upscale unknown-" + this.run + " not found");
	}

	static List<String> fieldNames(JsonNode node) {
		return new ArrayList<>(node.propertyNames());
	}

	/**
	 * Every record of the requests topic with this batch id as key, up to the current
	 * end.
	 */
	static List<ConsumerRecord<String, String>> requestsFor(String batchId) {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
		List<ConsumerRecord<String, String>> found = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(Topics.BATCH_REQUESTS)
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					if (batchId.equals(record.key())) {
						found.add(record);
					}
				}
			}
		}
		return found;
	}

}
