package io.veoupscale.worker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.veoupscale.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records that a producer sends straight to the requests topic and that cannot be
 * processed go to its dead-letter topic with the reason in their headers, and each is
 * logged once (topic, partition, offset, key, reason, never the value) and counted by
 * reason. An id the rule refuses is dead-lettered, never altered into another id.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeadLetterIntegrationTests {

	private static final String INVALID_ID = "must be valid Unicode text without control characters, noncharacters "
			+ "or U+FFFD";

	private static WorkerTestSystem system;

	@BeforeAll
	static void start() {
		system = new WorkerTestSystem();
	}

	@AfterAll
	static void stop() {
		system.close();
	}

	@Test
	void logsAndCountsEachDeadLetteredRecordOnceWithoutItsValue(CapturedOutput output) {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String topic = "dead-letter-test-" + run;
		ConfigurableApplicationContext worker = system.startWorker(
				Map.of("upscale.topics.batch-requests", topic, "spring.kafka.consumer.group-id", "dead-letter-" + run));
		MeterRegistry meters = worker.getBean(MeterRegistry.class);
		String profile = "dead-letter-" + run;
		system.profile(profile);
		system.generation("abc?x-" + run, profile, "completed", "media-altered-" + run);
		String secret = "token-" + UUID.randomUUID();

		send(worker, topic, "unreadable-" + run, "{\"sessionToken\":\"" + secret + "\", this is not JSON");
		send(worker, topic, "surrogate-" + run, "{\"batchId\":\"b-" + run
				+ "\",\"requests\":[{\"sourceGenerationId\":\"abc\\ud800x-" + run + "\"}],\"delayMs\":0}");
		send(worker, topic, "blank-\n" + run,
				"{\"batchId\":\" \",\"requests\":[{\"sourceGenerationId\":\"g\"}],\"note\":\"" + secret + "\"}");

		List<ConsumerRecord<String, String>> dead = deadLetters(topic + ".DLT", 3);
		assertThat(dead).extracting(ConsumerRecord::key)
			.containsExactlyInAnyOrder("unreadable-" + run, "surrogate-" + run, "blank-\n" + run);
		for (ConsumerRecord<String, String> record : dead) {
			String key = record.key().replace("\n", "\\u000a");
			String line = "Dead-lettered a record of " + topic + ", partition " + header(record, "original-partition")
					+ ", offset " + header(record, "original-offset") + ", key '" + key + "', to " + topic + ".DLT: ";
			await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains(line));
			assertThat(output.getAll().split(Pattern.quote(line))).as("logged once: %s", line).hasSize(2);
		}
		assertThat(output.getAll()).contains("key 'unreadable-" + run + "', to " + topic
				+ ".DLT: unreadable: not a batch request's JSON (StreamReadException at line 1, column ");
		assertThat(output.getAll())
			.contains("key 'surrogate-" + run + "', to " + topic + ".DLT: invalid: requests[0].sourceGenerationId "
					+ INVALID_ID)
			.contains("key 'blank-\\u000a" + run + "', to " + topic + ".DLT: invalid: batchId must not be blank")
			.doesNotContain(secret);
		assertThat(header(dead.stream().filter((record) -> record.key().startsWith("surrogate-")).findFirst().get(),
				"exception-message"))
			.contains("requests[0].sourceGenerationId " + INVALID_ID);
		assertThat(meters.get(DeadLetters.METRIC).tag("reason", "invalid").counter().count()).isEqualTo(2.0);
		assertThat(meters.get(DeadLetters.METRIC).tag("reason", "unreadable").counter().count()).isEqualTo(1.0);
		assertThat(meters.get(DeadLetters.METRIC).tag("reason", "failed").counter().count()).isZero();
		JsonNode starts = RestClient.create(system.flowUrl())
			.get()
			.uri("/admin/starts")
			.retrieve()
			.body(JsonNode.class);
		assertThat(starts.get("starts").findValuesAsString("mediaId")).doesNotContain("media-altered-" + run);
	}

	private static void send(ConfigurableApplicationContext worker, String topic, String key, String payload) {
		@SuppressWarnings("unchecked")
		KafkaTemplate<String, String> kafka = worker.getBean(KafkaTemplate.class);
		kafka.send(topic, key, payload).join();
	}

	private static List<ConsumerRecord<String, String>> deadLetters(String topic, int expected) {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<ConsumerRecord<String, String>> seen = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
				return seen.size() >= expected;
			});
		}
		return seen;
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		Header header = record.headers().lastHeader("kafka_dlt-" + name);
		if (header == null) {
			return "";
		}
		if (name.equals("original-partition")) {
			return String.valueOf(ByteBuffer.wrap(header.value()).getInt());
		}
		if (name.equals("original-offset")) {
			return String.valueOf(ByteBuffer.wrap(header.value()).getLong());
		}
		return new String(header.value(), StandardCharsets.UTF_8);
	}

}
