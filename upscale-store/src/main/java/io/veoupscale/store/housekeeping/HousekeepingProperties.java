package io.veoupscale.store.housekeeping;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When housekeeping runs.
 *
 * @param firstRunDelay how long after start an instance first looks whether a task is
 * due, so that starting services do not purge while they warm up
 */
@Validated
@ConfigurationProperties("upscale.housekeeping")
public record HousekeepingProperties(@DefaultValue("60s") Duration firstRunDelay) {

}
