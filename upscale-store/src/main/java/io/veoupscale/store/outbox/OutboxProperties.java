package io.veoupscale.store.outbox;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the outbox reaches Kafka.
 *
 * @param pollInterval how often rows left behind (by a process that died) are looked for
 * @param batchSize rows published per transaction
 * @param sendTimeout how long Kafka may take to acknowledge a batch before it is retried
 */
@Validated
@ConfigurationProperties("upscale.outbox")
public record OutboxProperties(@DefaultValue("1s") @DurationMin(millis = 1) Duration pollInterval,
		@DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
		@DefaultValue("30s") @DurationMin(millis = 1) Duration sendTimeout) {

}
