package io.veoupscale.gateway.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.veoupscale.events.Topics;
import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.GatewayClient.Response;
import io.veoupscale.gateway.testing.GatewayIntegrationTest;
import io.veoupscale.gateway.testing.SseStream;
import io.veoupscale.store.profile.ProfileRepository;
import io.veoupscale.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A seeded Flow cookie goes in through the API and is stored (encrypted), and is found
 * nowhere else: not in any response, log line, event, SSE frame or Kafka record.
 */
@GatewayIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class CookieSecrecyIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ProfileRepository profiles;

	@Autowired
	JdbcClient sql;

	@Test
	void neverShowsACookieValueOutsideItsEncryptedColumn(CapturedOutput output) {
		GatewayClient gateway = new GatewayClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String secret = "seeded-cookie-" + UUID.randomUUID();
		String profileId = "profile-" + run;
		Instant expiresAt = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);
		SseStream stream = SseStream.open(gateway, "", null);
		await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments().contains("connected"));

		Response saved = gateway.put("/api/v1/profiles/" + profileId, Map.of("name", "Secret holder", "loggedIn", true,
				"flowCookies", Map.of("sessionToken", secret, "expiresAt", expiresAt.toString())));
		Response shown = gateway.get("/api/v1/profiles/" + profileId);
		gateway.put("/api/v1/profiles/" + profileId,
				"{\"name\":\"x\",\"loggedIn\":\"maybe\",\"flowCookies\":{\"sessionToken\":\"" + secret + "\"}}");
		gateway.put("/api/v1/profiles/" + profileId,
				"{\"name\":\"x\",\"loggedIn\":true,\"flowCookies\":{\"sessionToken\":" + secret + "}}");
		gateway.put("/api/v1/profiles/" + profileId,
				"{\"name\":\"x\",\"loggedIn\":true,\"flowCookies\":{\"sessionToken\":\"" + secret
						+ "\",\"expiresAt\":\"" + secret + "\"}}");
		gateway.put("/api/v1/generations/gen-" + run, Map.of("projectId", "p-" + run, "profileId", profileId, "status",
				"completed", "mediaGenerationId", "media-" + run));
		Response batch = gateway.post("/api/v1/upscale-batches/sync",
				Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-" + run)), "delayMs", 0));
		String batchId = batch.json().get("batchId").asString();
		await().atMost(Duration.ofSeconds(10)).until(() -> !stream.framesOf(batchId).isEmpty());
		stream.close();

		assertThat(saved.status()).isEqualTo(201);
		JsonNode profile = shown.json().get("data");
		assertThat(profile.get("loggedIn").asBoolean()).isTrue();
		assertThat(profile.get("hasFlowCookies").asBoolean()).isTrue();
		assertThat(profile.get("hasActiveFlowCookies").asBoolean()).isTrue();
		assertThat(Instant.parse(profile.get("flowCookiesExpireAt").asString())).isEqualTo(expiresAt);
		assertThat(this.profiles.findCookies(profileId))
			.hasValueSatisfying((cookies) -> assertThat(cookies.sessionToken()).isEqualTo(secret));
		assertThat(new String(this.sql.sql("select flow_cookies from profiles where id = :id")
			.param("id", profileId)
			.query((rs, row) -> rs.getBytes(1))
			.single(), StandardCharsets.ISO_8859_1)).doesNotContain(secret);

		assertThat(gateway.bodies()).hasSizeGreaterThanOrEqualTo(7)
			.allSatisfy((body) -> assertThat(body).doesNotContain(secret));
		assertThat(output.getAll()).doesNotContain(secret);
		assertThat(stream.lines()).allSatisfy((line) -> assertThat(line).doesNotContain(secret));
		assertThat(this.sql.sql("select payload from event_log").query(String.class).list())
			.allSatisfy((payload) -> assertThat(payload).doesNotContain(secret));
		assertThat(this.sql.sql("select response_body from idempotency_keys where response_body is not null")
			.query(String.class)
			.list()).allSatisfy((body) -> assertThat(body).doesNotContain(secret));
		assertThat(allRecords()).isNotEmpty().allSatisfy((record) -> assertThat(record).doesNotContain(secret));
	}

	/**
	 * Every record of every topic of the system, value and headers, as text.
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
