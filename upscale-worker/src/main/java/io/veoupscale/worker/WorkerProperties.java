package io.veoupscale.worker;

import java.time.Duration;
import java.util.Set;

import io.veoupscale.store.ListenerRetry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a worker instance takes, schedules and starts batches.
 *
 * @param instanceId this instance's lease owner name; empty for host name plus a random
 * suffix
 * @param maxLeasedBatches batches this instance holds leases on at once; a batch waiting
 * for its next start costs memory only
 * @param maxLeasedBatchesPerProfile batches of one profile (the profile of a batch's
 * first item) leased at once across all instances; a profile starts one upscale at a time
 * anyway, and its backlog then never keeps another profile's batches from being claimed
 * @param claimSize batches claimed per claim statement; an instance claims again at once
 * while claims come back full and it has room
 * @param startThreads threads that make the upstream calls and their writes; nothing
 * waits on them between starts
 * @param turnLead how long before a start's time its turn is taken in PostgreSQL (lease
 * fence, profile turn, item marked {@code starting}), so that no database latency sits
 * between the turn and the wire
 * @param maxItemsPerBatch largest batch accepted from the requests topic
 * @param allowedModels upsampler models a request may name
 * @param leaseDuration how long a batch lease lasts without renewal; another instance
 * takes over a batch whose lease ran out
 * @param heartbeatInterval how often the leases this instance holds are renewed; at most
 * a third of the lease duration
 * @param claimInterval how often free batches are looked for
 * @param claimOnIntake whether this instance also claims right after it stored a batch
 * from the requests topic, rather than at its next claim interval
 * @param stopTimeout how long a stopping instance waits for its starts in flight to be
 * answered and recorded before it gives its leases back
 * @param transientRetries how often a start that failed transiently (5xx, no connection)
 * is retried
 * @param transientBackoff the first wait before such a retry; doubled each time
 * @param maxTransientBackoff the longest wait before such a retry
 * @param profileMinSpacing least time between two starts of one profile reaching Flow,
 * across all batches and all worker instances: a profile has one start in flight at a
 * time, and the next leaves this long after Flow answered it; zero for no spacing and no
 * limit on starts in flight
 * @param throttleBackoff how long a throttled profile pauses when Flow gives no
 * Retry-After; doubled for each throttle in a row
 * @param maxThrottleBackoff the longest such pause
 * @param throttleGiveUpAfter how long an item may keep meeting throttles before it fails
 * @param listener how the batch requests and commands listeners retry a record they could
 * not take
 */
@Validated
@ConfigurationProperties("upscale.worker")
public record WorkerProperties(@DefaultValue("") String instanceId,
		@DefaultValue("2000") @Min(1) @Max(100_000) int maxLeasedBatches,
		@DefaultValue("32") @Min(1) int maxLeasedBatchesPerProfile,
		@DefaultValue("100") @Min(1) @Max(10_000) int claimSize,
		@DefaultValue("16") @Min(1) @Max(1024) int startThreads, @DefaultValue("50ms") Duration turnLead,
		@DefaultValue("1000") @Min(1) int maxItemsPerBatch, @DefaultValue( {
				"veo_2_1080p_upsampler_8s", "veo_3_1_upsampler_1080p",
				"veo_3_1_upsampler_4k" }) @NotEmpty Set<String> allowedModels,
		@DefaultValue("30s") Duration leaseDuration, @DefaultValue("5s") Duration heartbeatInterval,
		@DefaultValue("250ms") Duration claimInterval, @DefaultValue("true") boolean claimOnIntake,
		@DefaultValue("30s") Duration stopTimeout, @DefaultValue("5") @Min(0) int transientRetries,
		@DefaultValue("10s") Duration transientBackoff, @DefaultValue("300s") Duration maxTransientBackoff,
		@DefaultValue("1s") Duration profileMinSpacing, @DefaultValue("30s") Duration throttleBackoff,
		@DefaultValue("1h") Duration maxThrottleBackoff, @DefaultValue("2h") Duration throttleGiveUpAfter,
		@DefaultValue @Valid ListenerRetry listener){

	/**
	 * Whether a lease is renewed often enough that one late or failed renewal never loses
	 * it.
	 * @return whether the heartbeat is at most a third of the lease
	 */
	@AssertTrue(message = "heartbeat-interval must be positive and at most a third of lease-duration")
	public boolean isHeartbeatWithinLease() {
		return positive(this.heartbeatInterval)
				&& this.heartbeatInterval.multipliedBy(3).compareTo(this.leaseDuration) <= 0;
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	/**
	 * Whether every interval and back-off is usable.
	 * @return whether they are
	 */
	@AssertTrue(message = "claim-interval, transient-backoff and throttle-backoff must be positive, "
			+ "turn-lead and profile-min-spacing not negative, and each maximum back-off at least its first")
	public boolean isTimingUsable() {
		return positive(this.claimInterval) && positive(this.transientBackoff) && positive(this.throttleBackoff)
				&& !this.turnLead.isNegative() && !this.profileMinSpacing.isNegative()
				&& this.maxTransientBackoff.compareTo(this.transientBackoff) >= 0
				&& this.maxThrottleBackoff.compareTo(this.throttleBackoff) >= 0;
	}

}
