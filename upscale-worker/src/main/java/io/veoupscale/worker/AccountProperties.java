package io.veoupscale.worker;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the workers keep a profile's account healthy at Flow: quotas, concurrent jobs,
 * tiers and credits, and starts whose answer never came.
 *
 * @param quotaHeldItems what happens to the items of a profile whose account quota is
 * spent (or of a model whose daily quota is), which make no call until the quota resets:
 * {@code fail} at once with {@code Upscale request failed: <reason>}, so that no batch
 * waits for a day, or {@code wait} for the reset
 * @param quotaResetZone the zone whose clock resets Flow's daily quotas
 * @param quotaResetTime the time of day at which they reset in that zone
 * @param holdRecheck how often a waiting item of a held profile asks again whether the
 * hold is over (with {@code quota-held-items=wait})
 * @param concurrentLimitWait how long every start of a profile waits after Flow answered
 * that too many of its jobs run, before the item is tried again; the item does not fail
 * @param unknownOutcomeGrace how long after a start that got no answer (a timeout, a
 * dropped connection, a worker that stopped) Flow is asked whether the upscale of the
 * source ({@code <mediaId>_upsampled}) exists, before the item fails as "outcome
 * unknown"; the start is never sent again
 * @param unknownOutcomeProbeInterval how often Flow is asked within that grace
 * @param ultraModels model keys only the Ultra tier ({@code PAYGATE_TIER_TWO}) may use;
 * every other upscale needs a paid tier
 * @param modelCredits credits a start of a model costs, as {@code model=credits}; models
 * not named cost nothing
 */
@Validated
@ConfigurationProperties("upscale.worker.accounts")
public record AccountProperties(@DefaultValue("fail") @NotNull QuotaHeldItems quotaHeldItems,
		@DefaultValue("UTC") @NotNull ZoneId quotaResetZone, @DefaultValue("00:00") @NotNull LocalTime quotaResetTime,
		@DefaultValue("1m") Duration holdRecheck, @DefaultValue("30s") Duration concurrentLimitWait,
		@DefaultValue("10s") Duration unknownOutcomeGrace, @DefaultValue("2s") Duration unknownOutcomeProbeInterval,
		@DefaultValue("veo_3_1_upsampler_4k") Set<String> ultraModels,
		@DefaultValue("veo_3_1_upsampler_4k=50") List<@Pattern(regexp = "[^=\\s]+=\\d{1,6}",
				message = "must be model=credits") String> modelCredits) {

	/**
	 * Whether every wait is usable.
	 * @return whether they are
	 */
	@AssertTrue(message = "hold-recheck, concurrent-limit-wait and unknown-outcome-probe-interval must be positive, "
			+ "unknown-outcome-grace not negative")
	public boolean isTimingUsable() {
		return positive(this.holdRecheck) && positive(this.concurrentLimitWait)
				&& positive(this.unknownOutcomeProbeInterval) && !this.unknownOutcomeGrace.isNegative();
	}

	/**
	 * What a start of each model costs.
	 * @return credits by model key
	 */
	public Map<String, Integer> creditsByModel() {
		Map<String, Integer> credits = new LinkedHashMap<>();
		for (String pair : this.modelCredits) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				credits.put(pair.substring(0, equals).trim(), Integer.parseInt(pair.substring(equals + 1).trim()));
			}
		}
		return credits;
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	/**
	 * What happens to the items of a held profile.
	 */
	public enum QuotaHeldItems {

		/** They fail at once, without a call. */
		FAIL,

		/** They wait until the quota resets. */
		WAIT

	}

}
