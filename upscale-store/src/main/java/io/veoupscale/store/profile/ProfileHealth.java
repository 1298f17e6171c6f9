package io.veoupscale.store.profile;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the workers know of a profile's account at Flow: its holds after throttles and
 * spent quotas, the last refusal, and its tier and credits as Flow last reported them.
 *
 * @param pausedUntil every start of the profile waits until then, after a throttle
 * @param pauseReason why it was paused
 * @param quotaHeldUntil the account's quota is spent until then
 * @param quotaReason the refusal that spent it
 * @param modelHolds models whose daily quota the profile has spent
 * @param lastRefusalReason the reason of the last refusal Flow answered a start with
 * @param lastRefusalAt when it came
 * @param tier the account's tier as {@code GET /v1/credits} last reported it
 * @param credits the account's credits as Flow last reported them
 * @param creditsAt when Flow reported them
 */
public record ProfileHealth(@Nullable Instant pausedUntil, @Nullable String pauseReason,
		@Nullable Instant quotaHeldUntil, @Nullable String quotaReason, List<ModelHold> modelHolds,
		@Nullable String lastRefusalReason, @Nullable Instant lastRefusalAt, @Nullable String tier,
		@Nullable Integer credits, @Nullable Instant creditsAt) {

	/** A profile whose starts go out. */
	public static final String ACTIVE = "active";

	/** A profile paused after a throttle. */
	public static final String THROTTLED = "throttled";

	/** A profile an operator paused. */
	public static final String PAUSED = "paused";

	/** The reason of an operator's pause. */
	public static final String OPERATOR_PAUSE_REASON = "paused by operator";

	/** Until when an operator's pause holds a profile: until it is resumed. */
	public static final Instant OPERATOR_PAUSE_UNTIL = Instant.parse("9999-12-31T00:00:00Z");

	/** A profile whose account quota is spent. */
	public static final String QUOTA_HELD = "quota_held";

	/**
	 * The profile's state at a moment: held for its quota, paused after a throttle, or
	 * active.
	 * @param now the moment
	 * @return {@link #PAUSED}, {@link #QUOTA_HELD}, {@link #THROTTLED} or {@link #ACTIVE}
	 */
	public String state(Instant now) {
		if (pausedByOperator()) {
			return PAUSED;
		}
		if (this.quotaHeldUntil != null && this.quotaHeldUntil.isAfter(now)) {
			return QUOTA_HELD;
		}
		if (this.pausedUntil != null && this.pausedUntil.isAfter(now)) {
			return THROTTLED;
		}
		return ACTIVE;
	}

	/**
	 * Whether an operator paused the profile until it is resumed.
	 * @return whether it is paused by an operator
	 */
	public boolean pausedByOperator() {
		return this.pausedUntil != null && !this.pausedUntil.isBefore(OPERATOR_PAUSE_UNTIL);
	}

	/**
	 * A model held for a profile until its daily quota resets.
	 *
	 * @param model the model key
	 * @param heldUntil when the hold ends
	 * @param reason the refusal that spent the quota
	 */
	public record ModelHold(String model, Instant heldUntil, String reason) {
	}

}
