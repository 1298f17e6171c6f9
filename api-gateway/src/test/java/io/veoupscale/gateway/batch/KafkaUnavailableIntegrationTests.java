package io.veoupscale.gateway.batch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.gateway.ApiGatewayApplication;
import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.GatewayClient.Response;
import io.veoupscale.testsupport.UsesTestInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway whose broker cannot be reached: the publish is bounded in time, the caller
 * gets 503, no batch exists, and its Idempotency-Key stays usable for a retry.
 */
@UsesTestInfrastructure
@SpringBootTest(classes = ApiGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=api-gateway", "upscale.gateway.api-key-hashes=" + GatewayClient.API_KEY_HASH,
				"spring.kafka.bootstrap-servers=127.0.0.1:1", "spring.kafka.admin.auto-create=false",
				"spring.kafka.producer.properties.max.block.ms=1000",
				"spring.kafka.producer.properties.delivery.timeout.ms=1500",
				"spring.kafka.producer.properties.request.timeout.ms=1000", "upscale.gateway.publish-timeout=2s" })
class KafkaUnavailableIntegrationTests {

	@LocalServerPort
	int port;

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
	void answers503WithinThePublishTimeoutAndStartsNoBatch() {
		String key = "key-" + this.run;
		long started = System.nanoTime();

		Response response = this.gateway.post("/api/v1/upscale-batches",
				Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-" + this.run))), "Idempotency-Key", key);

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
		assertThat(response.status()).isEqualTo(503);
		assertThat(response.json().get("success").asBoolean()).isFalse();
		assertThat(response.json().get("error").asString()).contains("nothing was started");
		String batchId = this.sql.sql("select resource_id from idempotency_keys where idempotency_key = :key")
			.param("key", key)
			.query(String.class)
			.single();
		assertThat(this.sql.sql("select state from idempotency_keys where idempotency_key = :key")
			.param("key", key)
			.query(String.class)
			.single()).isEqualTo("released");
		assertThat(BatchEndpointsIntegrationTests.requestsFor(batchId)).isEmpty();
		assertThat(this.sql.sql("select count(*) from batches where id = :id")
			.param("id", batchId)
			.query(Integer.class)
			.single()).isZero();
		assertThat(this.sql.sql("select count(*) from accepted_batches where batch_id = :id")
			.param("id", batchId)
			.query(Integer.class)
			.single()).isZero();
		assertThat(this.gateway.get("/api/v1/upscale-batches/" + batchId).status()).isEqualTo(404);
	}

	@Test
	void answers503ToASyncBatchToo() {
		Response response = this.gateway.post("/api/v1/upscale-batches/sync",
				Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-" + this.run))));

		assertThat(response.status()).isEqualTo(503);
		assertThat(response.json().get("error").asString()).contains("message broker unavailable");
	}

}
