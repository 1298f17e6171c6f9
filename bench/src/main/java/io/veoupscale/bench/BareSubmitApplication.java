package io.veoupscale.bench;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleJson;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The gateway benchmark's baseline: a bare Boot endpoint that does the gateway's Kafka
 * send (the same command, acknowledged by the broker) and nothing else: no API key, no
 * checks, no idempotency.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration" })
class BareSubmitApplication {

	@RestController
	static class BareSubmitController {

		private final KafkaTemplate<String, String> kafka;

		BareSubmitController(KafkaTemplate<String, String> kafka) {
			this.kafka = kafka;
		}

		@PostMapping("/bare/upscale-batches")
		ResponseEntity<Map<String, Object>> submit(@RequestBody JsonNode body) throws Exception {
			BatchRequested command = new BatchRequested(UUID.randomUUID().toString().replace("-", ""),
					UpscaleJson.mapper().treeToValue(body, BatchRequested.class).requests(),
					body.path("delayMs").asInt(1500), Instant.now());
			this.kafka.send(Topics.BATCH_REQUESTS, command.batchId(), UpscaleJson.write(command))
				.get(5, TimeUnit.SECONDS);
			return ResponseEntity.status(HttpStatus.ACCEPTED)
				.body(Map.of("success", true, "data",
						Map.of("batchId", command.batchId(), "total", command.requests().size())));
		}

	}

}
