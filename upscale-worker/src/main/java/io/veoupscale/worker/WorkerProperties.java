package io.veoupscale.worker;

import java.time.Duration;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a worker instance takes and works batches.
 *
 * @param instanceId this instance's lease owner name; empty for host name plus a random
 * suffix
 * @param maxConcurrentBatches batches this instance works at once
 * @param maxItemsPerBatch largest batch accepted from the requests topic
 * @param allowedModels upsampler models a request may name
 * @param leaseDuration how long a batch lease lasts without renewal; another instance
 * takes over a batch whose lease ran out
 * @param claimInterval how often free batches are looked for
 * @param transientRetries how often a start that failed transiently (5xx, no connection)
 * is retried
 * @param transientBackoff the first wait before such a retry; doubled each time
 * @param maxTransientBackoff the longest wait before such a retry
 * @param profileMinSpacing least time between two starts of one profile reaching Flow,
 * across all batches and all worker instances: a profile has one start in flight at a
 * time, and the next leaves this long after Flow answered it; zero for no spacing and no
 * limit on starts in flight
 * @param pacingGuard how long after the worker records a start the request may still be
 * on its way to Flow; the next start of the batch waits for its delay counted from the
 * end of that window, or from Flow's answer when the answer came sooner
 * @param throttleBackoff how long a throttled profile pauses when Flow gives no
 * Retry-After; doubled for each throttle in a row
 * @param maxThrottleBackoff the longest such pause
 * @param throttleGiveUpAfter how long an item may keep meeting throttles before it fails
 */
@Validated
@ConfigurationProperties("upscale.worker")
public record WorkerProperties(@DefaultValue("") String instanceId,
		@DefaultValue("4") @Min(1) @Max(256) int maxConcurrentBatches,
		@DefaultValue("1000") @Min(1) int maxItemsPerBatch, @DefaultValue( {
				"veo_2_1080p_upsampler_8s", "veo_3_1_upsampler_1080p",
				"veo_3_1_upsampler_4k" }) @NotEmpty Set<String> allowedModels,
		@DefaultValue("30s") Duration leaseDuration, @DefaultValue("250ms") Duration claimInterval,
		@DefaultValue("5") @Min(0) int transientRetries, @DefaultValue("10s") Duration transientBackoff,
		@DefaultValue("300s") Duration maxTransientBackoff, @DefaultValue("1s") Duration profileMinSpacing,
		@DefaultValue("10ms") Duration pacingGuard, @DefaultValue("30s") Duration throttleBackoff,
		@DefaultValue("1h") Duration maxThrottleBackoff, @DefaultValue("2h") Duration throttleGiveUpAfter){

}
