package io.veoupscale.poller.operation;

import java.time.Instant;
import java.util.Map;

import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.events.UpscaleJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.util.backoff.ExponentialBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How records of the operations topic are read and retried.
 */
class OperationsTopicConfigurationTests {

	@Test
	void readsAnInitiatedUpscaleWithTheProjectsMapping() {
		UpscaleInitiated initiated = new UpscaleInitiated("u1", "b1", 1, "gen-1", "p1", "scene-1", "op-1", null,
				"veo_2_1080p_upsampler_8s", Instant.parse("2026-12-01T10:00:00.123Z"));
		ConsumerRecord<String, String> record = new ConsumerRecord<>("veo3.upscale.operations", 0, 0, "u1",
				UpscaleJson.write(initiated));

		Message<?> message = new OperationsTopicConfiguration().upscaleMessageConverter()
			.toMessage(record, null, null, UpscaleInitiated.class);

		assertThat(message.getPayload()).isEqualTo(initiated);
	}

	@Test
	void retriesWithTheBackOffOfItsSettings() {
		ExponentialBackOff backOff = PollerSettings
			.bind(Map.of("upscale.poller.listener.initial-backoff", "200ms",
					"upscale.poller.listener.backoff-multiplier", "3", "upscale.poller.listener.max-backoff", "5s",
					"upscale.poller.listener.give-up-after", "20s"))
			.listener()
			.backOff();

		assertThat(backOff.getInitialInterval()).isEqualTo(200);
		assertThat(backOff.getMultiplier()).isEqualTo(3.0);
		assertThat(backOff.getMaxInterval()).isEqualTo(5_000);
		assertThat(backOff.getMaxElapsedTime()).isEqualTo(20_000);
	}

	@Test
	void retriesForAMinuteByDefault() {
		ExponentialBackOff backOff = PollerSettings.bind(Map.of()).listener().backOff();

		assertThat(backOff.getInitialInterval()).isEqualTo(500);
		assertThat(backOff.getMaxInterval()).isEqualTo(10_000);
		assertThat(backOff.getMaxElapsedTime()).isEqualTo(60_000);
	}

}
