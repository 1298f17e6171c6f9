package io.veoupscale.poller;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the poller schedules status checks.
 *
 * @param instanceId this instance's lease owner name; empty for host name plus a random
 * suffix
 * @param pollInterval how often due operations are looked for
 * @param claimBatchSize operations claimed at most per poll
 * @param pollLoops polls run at once by this instance while more than a claim is due
 * @param maxPerCheck operations of one profile covered by one status call
 * @param checkConcurrency status calls in flight at once per instance
 * @param firstCheckDelay time from initiation to the first check
 * @param checkInterval the interval after the first check
 * @param backoffMultiplier factor applied to the interval after each check
 * @param maxCheckInterval the longest interval between checks
 * @param deadline how long an operation may run before it is failed
 * @param leaseDuration how long a claimed operation stays with this instance
 * @param mediaUrlRetry how soon to ask again for a video URL that is not ready yet
 * @param inFlightRefresh how often the operations in flight are counted for the gauge
 */
@Validated
@ConfigurationProperties("upscale.poller")
public record PollerProperties(@DefaultValue("") String instanceId, @DefaultValue("500ms") Duration pollInterval,
		@DefaultValue("500") @Min(1) @Max(100_000) int claimBatchSize,
		@DefaultValue("4") @Min(1) @Max(16) int pollLoops, @DefaultValue("20") @Min(1) @Max(1000) int maxPerCheck,
		@DefaultValue("16") @Min(1) @Max(64) int checkConcurrency, @DefaultValue("5s") Duration firstCheckDelay,
		@DefaultValue("5s") Duration checkInterval, @DefaultValue("1.5") @DecimalMin("1.0") double backoffMultiplier,
		@DefaultValue("60s") Duration maxCheckInterval, @DefaultValue("30m") Duration deadline,
		@DefaultValue("60s") Duration leaseDuration, @DefaultValue("5s") Duration mediaUrlRetry,
		@DefaultValue("15s") Duration inFlightRefresh) {

}
