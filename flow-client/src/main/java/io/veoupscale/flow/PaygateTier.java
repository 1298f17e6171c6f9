package io.veoupscale.flow;

import org.jspecify.annotations.Nullable;

/**
 * The account tiers Flow reports as {@code userPaygateTier} (flow-api.md): which models
 * an account may use. A tier this client does not know is {@link #UNKNOWN}, never read as
 * free.
 */
public enum PaygateTier {

	/** {@code PAYGATE_TIER_NOT_PAID}: free. */
	NOT_PAID,

	/** {@code PAYGATE_TIER_ONE}: Pro. */
	ONE,

	/** {@code PAYGATE_TIER_TWO}: Ultra. */
	TWO,

	/** Not reported, or not a tier this client knows. */
	UNKNOWN;

	private static final String PREFIX = "PAYGATE_TIER_";

	/**
	 * Reads Flow's tier text.
	 * @param text e.g. {@code PAYGATE_TIER_TWO}, or null
	 * @return the tier, {@link #UNKNOWN} when not recognised
	 */
	public static PaygateTier of(@Nullable String text) {
		if (text != null && text.startsWith(PREFIX)) {
			String name = text.substring(PREFIX.length());
			for (PaygateTier tier : values()) {
				if (tier != UNKNOWN && tier.name().equals(name)) {
					return tier;
				}
			}
		}
		return UNKNOWN;
	}

	/**
	 * Flow's name of the tier.
	 * @return e.g. {@code PAYGATE_TIER_TWO}; {@code UNKNOWN} for an unknown tier
	 */
	public String wireName() {
		return (this == UNKNOWN) ? name() : PREFIX + name();
	}

	/**
	 * Whether this tier is known to be below another.
	 * @param required the tier a model needs
	 * @return false whenever either tier is unknown
	 */
	public boolean isBelow(PaygateTier required) {
		return this != UNKNOWN && required != UNKNOWN && ordinal() < required.ordinal();
	}

}
