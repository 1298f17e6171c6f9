package io.veoupscale.poller;

import java.time.Duration;

import io.veoupscale.store.ListenerRetry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the poller schedules status checks. Every default is here; the code reads these
 * values and nothing else.
 *
 * @param instanceId this instance's lease owner name; empty for host name plus a random
 * suffix
 * @param pollInterval how long the poll loop waits after a poll that found less than a
 * full claim due, before it looks again
 * @param claimBatchSize operations claimed at most per poll
 * @param pollLoops polls run at once by this instance while more than a claim is due
 * @param maxPerCheck operations of one profile covered by one status call
 * @param checkConcurrency status calls in flight at once per instance
 * @param firstCheckDelay time from initiation to the first check; shorter than the
 * deadline
 * @param checkInterval the interval after the first check; at most the longest interval
 * @param backoffMultiplier factor applied to the interval after each check
 * @param maxCheckInterval the longest interval between checks, also how long a throttled
 * profile pauses when Flow gives no Retry-After
 * @param deadline how long an operation may run before it is failed
 * @param leaseDuration how long a claimed operation stays with this instance; another
 * instance takes over an operation whose lease ran out
 * @param mediaUrlRetry how soon to ask again for a video URL that is not ready yet
 * @param inFlightRefresh how often the operations in flight are counted for the gauge
 * @param stopTimeout how long stopping waits for the poll in progress to leave; what it
 * still holds then is checked again once its leases expire
 * @param listener how the operations listener retries a record it could not take
 */
@Validated
@ConfigurationProperties("upscale.poller")
public record PollerProperties(@DefaultValue("") String instanceId,
		@DefaultValue("500ms") @DurationMin(millis = 1) Duration pollInterval,
		@DefaultValue("500") @Min(1) @Max(100_000) int claimBatchSize,
		@DefaultValue("4") @Min(1) @Max(16) int pollLoops, @DefaultValue("20") @Min(1) @Max(1000) int maxPerCheck,
		@DefaultValue("16") @Min(1) @Max(64) int checkConcurrency,
		@DefaultValue("5s") @DurationMin(millis = 0) Duration firstCheckDelay,
		@DefaultValue("5s") @DurationMin(millis = 1) @DurationMax(days = 24) Duration checkInterval,
		@DefaultValue("1.5") @DecimalMin("1.0") double backoffMultiplier,
		@DefaultValue("60s") @DurationMin(millis = 1) @DurationMax(days = 24) Duration maxCheckInterval,
		@DefaultValue("30m") @DurationMin(millis = 1) Duration deadline,
		@DefaultValue("60s") @DurationMin(millis = 1) Duration leaseDuration,
		@DefaultValue("5s") @DurationMin(millis = 1) Duration mediaUrlRetry,
		@DefaultValue("15s") @DurationMin(millis = 1) Duration inFlightRefresh,
		@DefaultValue("10s") @DurationMin(millis = 0) Duration stopTimeout,
		@DefaultValue @Valid ListenerRetry listener) {

	/**
	 * Whether the back-off starts within its own limit.
	 * @return whether {@code check-interval} is at most {@code max-check-interval}
	 */
	@AssertTrue(message = "check-interval must not be longer than max-check-interval")
	public boolean isCheckIntervalWithinMaxCheckInterval() {
		return this.checkInterval.compareTo(this.maxCheckInterval) <= 0;
	}

	/**
	 * Whether an operation is checked at least once before its deadline.
	 * @return whether {@code first-check-delay} is shorter than {@code deadline}
	 */
	@AssertTrue(message = "first-check-delay must be shorter than deadline")
	public boolean isFirstCheckBeforeDeadline() {
		return this.firstCheckDelay.compareTo(this.deadline) < 0;
	}

}
