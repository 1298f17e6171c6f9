package io.veoupscale.worker.batch;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;

import io.veoupscale.flow.PaygateTier;
import io.veoupscale.worker.AccountProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * What a profile's account allows before a start leaves: nothing while its quota (or the
 * model's) is spent, no model its tier lacks, nothing that costs more than its known
 * credits. Pure decisions on the state PostgreSQL holds and the time given, so they are
 * tested on fixed instants.
 */
@Component
class AccountRules {

	private final AccountProperties properties;

	private final Map<String, Integer> credits;

	AccountRules(AccountProperties properties) {
		this.properties = properties;
		this.credits = properties.creditsByModel();
	}

	/**
	 * Why a start of this model may not leave, if it may not.
	 * @param account what is known of the profile's account
	 * @param model the model key to be sent
	 * @param now the time on the quota clock
	 * @return the refusal, or null
	 */
	@Nullable Refusal refusal(AccountState account, String model, Instant now) {
		if (account.quotaHeldUntil() != null && account.quotaHeldUntil().isAfter(now)) {
			return new Refusal(quotaHeld(String.valueOf(account.quotaReason()), null, account.quotaHeldUntil()),
					account.quotaHeldUntil());
		}
		if (account.modelHeldUntil() != null && account.modelHeldUntil().isAfter(now)) {
			return new Refusal(quotaHeld(String.valueOf(account.modelHoldReason()), model, account.modelHeldUntil()),
					account.modelHeldUntil());
		}
		PaygateTier tier = PaygateTier.of(account.tier());
		PaygateTier needed = this.properties.ultraModels().contains(model) ? PaygateTier.TWO : PaygateTier.ONE;
		if (tier.isBelow(needed)) {
			return new Refusal("TIER_TOO_LOW (" + model + " needs " + article(needed) + " account; this profile's is "
					+ tierName(tier) + ")", null);
		}
		int cost = this.credits.getOrDefault(model, 0);
		if (account.credits() != null && cost > account.credits()) {
			return new Refusal("NOT_ENOUGH_CREDITS (" + model + " costs " + cost
					+ " credits; this profile's account has " + account.credits() + " left)", null);
		}
		return null;
	}

	/**
	 * The reason an item of a held profile fails with: Flow's refusal, and until when.
	 * @param reason the refusal that spent the quota
	 * @param model the model whose quota is spent, or null for the account's
	 * @param until when the quota resets
	 * @return the reason
	 */
	static String quotaHeld(String reason, @Nullable String model, Instant until) {
		String whose = (model != null) ? "the daily quota of " + model : "the account's quota";
		return reason + " (" + whose + " is spent; no start until it resets at " + until + ")";
	}

	/**
	 * When a quota spent now resets: the next reset time of day in the reset zone.
	 * @param now the time on the quota clock
	 * @return the reset, always after now
	 */
	Instant nextReset(Instant now) {
		return nextReset(now, this.properties.quotaResetZone(), this.properties.quotaResetTime());
	}

	static Instant nextReset(Instant now, ZoneId zone, LocalTime time) {
		ZonedDateTime here = now.atZone(zone);
		ZonedDateTime reset = here.toLocalDate().atTime(time).atZone(zone);
		return (reset.isAfter(here) ? reset : here.toLocalDate().plusDays(1).atTime(time).atZone(zone)).toInstant();
	}

	/**
	 * Whether a refusal is of a spent quota, the account's or a model's.
	 */
	static boolean isQuotaReason(String reason) {
		return reason.toUpperCase(Locale.ROOT).contains("QUOTA_REACHED");
	}

	private static String article(PaygateTier tier) {
		return (tier == PaygateTier.TWO) ? "an Ultra" : "a paid (Pro or Ultra)";
	}

	private static String tierName(PaygateTier tier) {
		return switch (tier) {
			case NOT_PAID -> "free";
			case ONE -> "Pro";
			case TWO -> "Ultra";
			case UNKNOWN -> "unknown";
		};
	}

	/**
	 * What PostgreSQL holds of a profile's account, for one model.
	 *
	 * @param quotaHeldUntil the account's quota is spent until then
	 * @param quotaReason the refusal that spent it
	 * @param modelHeldUntil the model's daily quota is spent until then
	 * @param modelHoldReason the refusal that spent it
	 * @param tier the account's tier as Flow reported it
	 * @param credits the account's credits as Flow last reported them
	 */
	record AccountState(@Nullable Instant quotaHeldUntil, @Nullable String quotaReason,
			@Nullable Instant modelHeldUntil, @Nullable String modelHoldReason, @Nullable String tier,
			@Nullable Integer credits) {

		static final AccountState UNKNOWN = new AccountState(null, null, null, null, null, null);

	}

	/**
	 * Why a start may not leave.
	 *
	 * @param reason the reason, for {@code Upscale request failed: <reason>}
	 * @param heldUntil when a hold ends, for a spent quota; null for a refusal waiting
	 * does not change
	 */
	record Refusal(String reason, @Nullable Instant heldUntil) {
	}

}
