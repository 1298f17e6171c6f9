package io.veoupscale.worker.batch;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

import io.veoupscale.worker.AccountProperties;
import io.veoupscale.worker.batch.AccountRules.AccountState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class AccountRulesTests {

	private static final String HD = "veo_3_1_upsampler_1080p";

	private static final String UHD = "veo_3_1_upsampler_4k";

	private final Instant now = Instant.parse("2026-12-05T10:00:00Z");

	private final AccountRules rules = new AccountRules(new Binder(new MapConfigurationPropertySource(Map.of()))
		.bindOrCreate("upscale.worker.accounts", AccountProperties.class));

	@Test
	void holdsAProfileWhoseQuotaIsSpentUntilItResets() {
		Instant reset = Instant.parse("2026-12-06T00:00:00Z");
		AccountState held = new AccountState(reset, "PUBLIC_ERROR_USER_QUOTA_REACHED", null, null, null, null);

		AccountRules.Refusal refusal = this.rules.refusal(held, HD, this.now);

		assertThat(refusal.heldUntil()).isEqualTo(reset);
		assertThat(refusal.reason()).isEqualTo("PUBLIC_ERROR_USER_QUOTA_REACHED (the account's quota is spent; "
				+ "no start until it resets at 2026-12-06T00:00:00Z)");
		assertThat(this.rules.refusal(held, HD, reset)).as("the hold ends at the reset").isNull();
	}

	@Test
	void aModelsQuotaHoldsThatModelOnly() {
		Instant reset = Instant.parse("2026-12-06T00:00:00Z");
		AccountState held = new AccountState(null, null, reset, "PUBLIC_ERROR_PER_MODEL_DAILY_QUOTA_REACHED", null,
				null);

		assertThat(this.rules.refusal(held, UHD, this.now).reason())
			.startsWith("PUBLIC_ERROR_PER_MODEL_DAILY_QUOTA_REACHED (the daily quota of veo_3_1_upsampler_4k is spent");
	}

	@Test
	void refusesAModelTheTierLacksButNeverOnATierItDoesNotKnow() {
		assertThat(this.rules.refusal(tier("PAYGATE_TIER_ONE"), UHD, this.now).reason())
			.isEqualTo("TIER_TOO_LOW (veo_3_1_upsampler_4k needs an Ultra account; this profile's is Pro)");
		assertThat(this.rules.refusal(tier("PAYGATE_TIER_NOT_PAID"), HD, this.now).reason()).isEqualTo(
				"TIER_TOO_LOW (veo_3_1_upsampler_1080p needs a paid (Pro or Ultra) account; this profile's is free)");
		assertThat(this.rules.refusal(tier("PAYGATE_TIER_ONE"), HD, this.now)).isNull();
		assertThat(this.rules.refusal(tier("PAYGATE_TIER_TWO"), UHD, this.now)).isNull();
		assertThat(this.rules.refusal(tier("PAYGATE_TIER_SOMETHING_NEW"), UHD, this.now)).isNull();
		assertThat(this.rules.refusal(AccountState.UNKNOWN, UHD, this.now)).isNull();
	}

	@Test
	void refusesWhatCostsMoreThanTheKnownCredits() {
		AccountState poor = new AccountState(null, null, null, null, "PAYGATE_TIER_TWO", 49);

		assertThat(this.rules.refusal(poor, UHD, this.now).reason()).isEqualTo(
				"NOT_ENOUGH_CREDITS (veo_3_1_upsampler_4k costs 50 credits; this profile's account has 49 left)");
		assertThat(this.rules.refusal(poor, HD, this.now)).as("1080p costs nothing").isNull();
		assertThat(this.rules.refusal(new AccountState(null, null, null, null, "PAYGATE_TIER_TWO", 50), UHD, this.now))
			.isNull();
	}

	@Test
	void quotasResetAtTheNextMidnightOfTheirZone() {
		assertThat(this.rules.nextReset(this.now)).isEqualTo(Instant.parse("2026-12-06T00:00:00Z"));
		assertThat(this.rules.nextReset(Instant.parse("2026-12-06T00:00:00Z")))
			.isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
		assertThat(AccountRules.nextReset(this.now, ZoneId.of("America/Los_Angeles"), LocalTime.MIDNIGHT))
			.isEqualTo(Instant.parse("2026-12-06T08:00:00Z"));
		assertThat(AccountRules.nextReset(this.now, ZoneId.of("UTC"), LocalTime.of(11, 0)))
			.isEqualTo(Instant.parse("2026-12-05T11:00:00Z"));
	}

	private static AccountState tier(String tier) {
		return new AccountState(null, null, null, null, tier, null);
	}

}
