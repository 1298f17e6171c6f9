package io.veoupscale.store;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Kafka's place in every service's health is checked.
 *
 * @param timeout how long the cluster may take to answer before the service reports Kafka
 * down (and is taken out of readiness)
 */
@Validated
@ConfigurationProperties("upscale.kafka-health")
public record KafkaHealthProperties(@DefaultValue("2s") @DurationMin(millis = 1) Duration timeout) {

}
