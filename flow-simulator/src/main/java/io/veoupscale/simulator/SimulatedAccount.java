package io.veoupscale.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.IntSupplier;

import org.jspecify.annotations.Nullable;

/**
 * One simulated Google account as Flow bills it: its tier and credits, its daily quotas
 * (reset at UTC midnight) and how many jobs it may run at once. Not thread-safe: the
 * {@link SimulatorState} lock guards it.
 */
final class SimulatedAccount {

	static final String NOT_PAID = "PAYGATE_TIER_NOT_PAID";

	static final String PRO = "PAYGATE_TIER_ONE";

	static final String ULTRA = "PAYGATE_TIER_TWO";

	private static final List<String> TIERS = List.of(NOT_PAID, PRO, ULTRA);

	private static final int COST_4K = 50;

	private String tier;

	private int credits;

	private @Nullable Integer dailyQuota;

	private Map<String, Integer> modelDailyQuotas = Map.of();

	private @Nullable Integer concurrentLimit;

	private @Nullable LocalDate day;

	private int startsToday;

	private final Map<String, Integer> startsTodayByModel = new HashMap<>();

	SimulatedAccount(String tier, int credits) {
		this.tier = tier;
		this.credits = credits;
	}

	int credits() {
		return this.credits;
	}

	String tier() {
		return this.tier;
	}

	/**
	 * Starts a new day of quotas when the UTC date has changed.
	 */
	void rollOver(Instant now) {
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		if (!today.equals(this.day)) {
			this.day = today;
			this.startsToday = 0;
			this.startsTodayByModel.clear();
		}
	}

	void configure(AccountSettings settings) {
		if (settings.tier() != null) {
			if (!TIERS.contains(settings.tier())) {
				throw new IllegalArgumentException("tier must be one of " + TIERS);
			}
			this.tier = settings.tier();
		}
		if (settings.credits() != null) {
			this.credits = settings.credits();
		}
		if (settings.dailyQuota() != null) {
			this.dailyQuota = (settings.dailyQuota() < 0) ? null : settings.dailyQuota();
		}
		if (settings.modelDailyQuotas() != null) {
			this.modelDailyQuotas = Map.copyOf(settings.modelDailyQuotas());
		}
		if (settings.concurrentLimit() != null) {
			this.concurrentLimit = (settings.concurrentLimit() < 0) ? null : settings.concurrentLimit();
		}
	}

	/**
	 * Refuses a request that claims a higher tier than the account's; a claim of a tier
	 * Flow does not name is not checked.
	 * @param claimedTier the tier the request claims, if any
	 * @return the error Flow answers, or null
	 */
	@Nullable RpcException overclaim(@Nullable String claimedTier) {
		if (claimedTier == null || TIERS.indexOf(claimedTier) <= TIERS.indexOf(this.tier)) {
			return null;
		}
		return new RpcException(403, "PERMISSION_DENIED",
				"The request claims " + claimedTier + " but the account's tier is " + this.tier, null, null);
	}

	/**
	 * Why the account may not start these new upscales, if it may not: a model its tier
	 * lacks, too few credits, a spent daily quota (the account's or a model's), or too
	 * many jobs running.
	 * @param scenes the new upscales of a call
	 * @param charged whether they would cost credits (failing ones cost nothing)
	 * @param running counts the account's running jobs
	 * @return the error Flow answers, or null
	 */
	@Nullable RpcException refusal(List<SceneRequest> scenes, boolean charged, IntSupplier running) {
		if (scenes.isEmpty()) {
			return null;
		}
		int cost = 0;
		Map<String, Integer> byModel = new HashMap<>();
		for (SceneRequest scene : scenes) {
			String model = String.valueOf(scene.model());
			if (TIERS.indexOf(this.tier) < TIERS.indexOf(requiredTier(model))) {
				return new RpcException(403, "PERMISSION_DENIED",
						"The account's tier (" + this.tier + ") cannot use " + model,
						"PUBLIC_ERROR_MODEL_ACCESS_DENIED", null);
			}
			cost += costOf(model);
			byModel.merge(model, 1, Integer::sum);
		}
		if (charged && cost > this.credits) {
			return new RpcException(403, "PERMISSION_DENIED",
					"Not enough credits: " + cost + " needed, " + this.credits + " left",
					"PUBLIC_ERROR_INSUFFICIENT_CREDITS", null);
		}
		if (this.dailyQuota != null && this.startsToday + scenes.size() > this.dailyQuota) {
			return new RpcException(429, "RESOURCE_EXHAUSTED", "The account's daily quota is spent",
					"PUBLIC_ERROR_USER_QUOTA_REACHED", null);
		}
		for (Map.Entry<String, Integer> model : byModel.entrySet()) {
			Integer quota = this.modelDailyQuotas.get(model.getKey());
			if (quota != null && this.startsTodayByModel.getOrDefault(model.getKey(), 0) + model.getValue() > quota) {
				return new RpcException(429, "RESOURCE_EXHAUSTED", "The daily quota of " + model.getKey() + " is spent",
						"PUBLIC_ERROR_PER_MODEL_DAILY_QUOTA_REACHED", null);
			}
		}
		if (this.concurrentLimit != null && running.getAsInt() + scenes.size() > this.concurrentLimit) {
			return new RpcException(429, "RESOURCE_EXHAUSTED",
					"Too many generations running on the account (limit " + this.concurrentLimit + ")",
					"PUBLIC_ERROR_CONCURRENT_LIMIT_REACHED", null);
		}
		return null;
	}

	/**
	 * Counts a new upscale against the day's quotas, and its cost against the credits.
	 */
	void charge(SceneRequest scene, boolean charged) {
		String model = String.valueOf(scene.model());
		this.startsToday++;
		this.startsTodayByModel.merge(model, 1, Integer::sum);
		if (charged) {
			this.credits -= costOf(model);
		}
	}

	View view(String account, int running) {
		return new View(account, this.tier, this.credits, this.dailyQuota, this.modelDailyQuotas, this.concurrentLimit,
				this.startsToday, Map.copyOf(this.startsTodayByModel), running);
	}

	/**
	 * The tier a model needs (flow-api.md: 1080p is not free, 4K is Ultra only).
	 */
	static String requiredTier(String model) {
		return is4k(model) ? ULTRA : PRO;
	}

	/**
	 * What a model costs on the tiers that may use it: 50 credits for 4K, nothing for
	 * 1080p.
	 */
	static int costOf(String model) {
		return is4k(model) ? COST_4K : 0;
	}

	static boolean is4k(String model) {
		return model.toLowerCase(Locale.ROOT).contains("4k");
	}

	/**
	 * An account as {@code /admin/accounts/{account}} shows it.
	 *
	 * @param account the account
	 * @param tier its tier
	 * @param credits its credits
	 * @param dailyQuota its starts per UTC day, null for no limit
	 * @param modelDailyQuotas its starts per UTC day per model
	 * @param concurrentLimit its jobs running at once, null for no limit
	 * @param startsToday new upscales started today
	 * @param startsTodayByModel new upscales started today per model
	 * @param running its jobs running now
	 */
	record View(String account, String tier, int credits, @Nullable Integer dailyQuota,
			Map<String, Integer> modelDailyQuotas, @Nullable Integer concurrentLimit, int startsToday,
			Map<String, Integer> startsTodayByModel, int running) {

	}

}
