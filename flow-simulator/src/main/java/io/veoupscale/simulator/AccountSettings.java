package io.veoupscale.simulator;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What {@code PUT /admin/accounts/{account}} changes of an account; what it leaves out
 * stays as it was.
 *
 * @param tier {@code PAYGATE_TIER_NOT_PAID}, {@code PAYGATE_TIER_ONE} or
 * {@code PAYGATE_TIER_TWO}
 * @param credits the credits it has
 * @param dailyQuota new upscales it may start per UTC day; negative for no limit
 * @param modelDailyQuotas new upscales it may start per UTC day, per model
 * @param concurrentLimit jobs it may run at once; negative for no limit
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record AccountSettings(@Nullable String tier, @Nullable Integer credits, @Nullable Integer dailyQuota,
		@Nullable Map<String, Integer> modelDailyQuotas, @Nullable Integer concurrentLimit) {

}
