package io.veoupscale.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.veoupscale.events.Topics;
import io.veoupscale.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's contract against the real worker, poller and simulated Flow: a sync batch
 * answered with the seed's item results once the worker initiated every item, its events
 * over SSE, and a seeded Flow cookie that the worker uses but that no response, log line
 * (of any service), SSE frame or Kafka record ever shows.
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayContractIntegrationTests {

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
	void answersASyncBatchFromRealStartsAndNeverShowsTheCookie(CapturedOutput output) throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String secret = "seeded-flow-cookie-" + UUID.randomUUID();
		String profileId = "profile-" + run;
		String completed = "gen-done-" + run;
		String pending = "gen-pending-" + run;
		List<String> bodies = new CopyOnWriteArrayList<>();
		List<String> sseLines = new CopyOnWriteArrayList<>();
		HttpClient http = HttpClient.newHttpClient();
		HttpRequest events = HttpRequest
			.newBuilder(URI.create("http://localhost:" + system.gatewayPort + "/api/v1/events"))
			.header("Accept", "text/event-stream")
			.header("Authorization", "Bearer " + RunningSystem.API_KEY)
			.build();
		var stream = http.sendAsync(events, HttpResponse.BodyHandlers.ofLines())
			.thenAccept((response) -> response.body().forEach(sseLines::add));
		await().atMost(Duration.ofSeconds(10)).until(() -> sseLines.contains(":connected"));

		bodies.add(system.put("/api/v1/profiles/" + profileId, Map.of("name", "E2E", "loggedIn", true, "flowCookies",
				Map.of("sessionToken", secret, "expiresAt", Instant.now().plus(Duration.ofDays(7)).toString()))));
		bodies.add(system.put("/api/v1/generations/" + completed,
				RunningSystem.generation("project-contract", profileId, "completed", "media-" + run)));
		bodies.add(system.put("/api/v1/generations/" + pending,
				RunningSystem.generation("project-contract", profileId, "pending", null)));
		ResponseEntity<String> sync = system.gateway()
			.post()
			.uri("/api/v1/upscale-batches/sync")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("requests",
					List.of(Map.of("sourceGenerationId", completed), Map.of("sourceGenerationId", pending)), "delayMs",
					0))
			.retrieve()
			.toEntity(String.class);
		bodies.add(sync.getBody());

		assertThat(sync.getStatusCode().value()).as(sync.getBody()).isEqualTo(200);
		JsonNode answer = io.veoupscale.events.UpscaleJson.mapper().readTree(sync.getBody());
		assertThat(answer.get("success").asBoolean()).isTrue();
		assertThat(answer.get("complete").asBoolean()).isTrue();
		String batchId = answer.get("batchId").asString();
		JsonNode started = answer.get("data").get(0);
		assertThat(started.get("success").asBoolean()).isTrue();
		assertThat(started.get("sourceGenerationId").asString()).isEqualTo(completed);
		assertThat(started.get("upscaleId").asString()).isNotBlank();
		assertThat(started.get("sceneId").asString()).isNotBlank();
		assertThat(started.get("operationName").asString()).isNotBlank();
		JsonNode refused = answer.get("data").get(1);
		assertThat(refused.get("success").asBoolean()).isFalse();
		assertThat(refused.get("error").asString()).isEqualTo("Source video must be completed before upscaling");
		assertThat(refused.get("sourceGenerationId").asString()).isEqualTo(pending);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			String state = system.gateway()
				.get()
				.uri("/api/v1/upscale-batches/" + batchId)
				.retrieve()
				.body(String.class);
			JsonNode item = io.veoupscale.events.UpscaleJson.mapper().readTree(state).get("data").get("items").get(0);
			assertThat(item.get("upscaleStatus").asString()).isEqualTo("completed");
			assertThat(item.get("videoUrl").asString()).startsWith("http");
			bodies.add(state);
		});
		await().atMost(Duration.ofSeconds(10))
			.until(() -> sseLines.stream()
				.anyMatch((line) -> line.startsWith("data:") && line.contains(batchId)
						&& line.contains("\"type\":\"veo3:upscale:status\"")));
		stream.cancel(true);

		assertThat(sseLines).contains("event:veo3:batch:upscale:started", "event:veo3:batch:upscale:progress",
				"event:veo3:batch:upscale:completed", "event:veo3:upscale:status");
		assertThat(bodies).allSatisfy((body) -> assertThat(body).doesNotContain(secret));
		assertThat(sseLines).allSatisfy((line) -> assertThat(line).doesNotContain(secret));
		assertThat(output.getAll()).doesNotContain(secret);
		assertThat(allRecords()).isNotEmpty().allSatisfy((record) -> assertThat(record).doesNotContain(secret));
		assertThat(system.sql.sql("select payload from event_log").query(String.class).list())
			.allSatisfy((payload) -> assertThat(payload).doesNotContain(secret));
	}

	/**
	 * Every record of every topic of the system, key, value and headers, as text.
	 */
	private static List<String> allRecords() {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
		List<String> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (String topic : List.of(Topics.BATCH_REQUESTS, Topics.BATCH_EVENTS, Topics.OPERATIONS)) {
				consumer.partitionsFor(topic)
					.forEach((info) -> partitions.add(new TopicPartition(info.topic(), info.partition())));
			}
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					StringBuilder text = new StringBuilder().append(record.key()).append(' ').append(record.value());
					for (Header header : record.headers()) {
						text.append(' ').append(new String(header.value(), StandardCharsets.UTF_8));
					}
					records.add(text.toString());
				}
			}
		}
		return records;
	}

}
