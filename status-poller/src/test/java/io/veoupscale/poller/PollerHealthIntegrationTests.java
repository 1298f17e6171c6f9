package io.veoupscale.poller;

import java.time.Duration;
import java.util.Map;

import io.veoupscale.store.KafkaHealthIndicator;
import io.veoupscale.testsupport.Services;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poller is ready only while PostgreSQL and Kafka answer.
 */
class PollerHealthIntegrationTests {

	private static ConfigurableApplicationContext poller;

	@BeforeAll
	static void start() {
		poller = Services.run(StatusPollerApplication.builder(), PollerTestSystem.FAST);
	}

	@AfterAll
	static void stop() {
		poller.close();
	}

	@Test
	void isReadyWithDatabaseAndKafkaUp() {
		JsonNode readiness = RestClient.create("http://localhost:" + Services.port(poller))
			.get()
			.uri("/actuator/health/readiness")
			.retrieve()
			.body(JsonNode.class);

		assertThat(readiness.path("status").asString()).isEqualTo("UP");
		assertThat(poller.getBean(KafkaHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void exposesItsMetricsToPrometheus() {
		String scrape = RestClient.create("http://localhost:" + Services.port(poller))
			.get()
			.uri("/actuator/prometheus")
			.retrieve()
			.body(String.class);

		assertThat(scrape).contains("upscale_poller_checks_total", "upscale_poller_operations_in_flight");
	}

	@Test
	void reportsKafkaDownWhenNoBrokerAnswers() throws Exception {
		KafkaHealthIndicator unreachable = new KafkaHealthIndicator(
				new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1")),
				Duration.ofMillis(500));
		try {
			assertThat(unreachable.health().getStatus()).isEqualTo(Status.DOWN);
		}
		finally {
			unreachable.destroy();
		}
	}

}
