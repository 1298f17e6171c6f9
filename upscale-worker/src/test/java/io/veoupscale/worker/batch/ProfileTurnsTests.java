package io.veoupscale.worker.batch;

import java.time.Duration;
import java.time.Instant;

import io.veoupscale.worker.batch.ProfileTurns.InFlight;
import io.veoupscale.worker.batch.ProfileTurns.ProfileRow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileTurnsTests {

	private static final Duration SPACING = Duration.ofSeconds(1);

	private final Instant t0 = Instant.parse("2026-12-05T10:00:00Z");

	@Test
	void turnComesTheSpacingAfterTheLastAnswer() {
		ProfileRow row = new ProfileRow(this.t0, this.t0.plusMillis(300), null, null, 0,
				AccountRules.AccountState.UNKNOWN);

		assertThat(row.turn(SPACING)).isEqualTo(this.t0.plusMillis(1300));
	}

	@Test
	void turnWaitsForAPauseThatEndsLater() {
		Instant pausedUntil = this.t0.plusSeconds(30);

		assertThat(
				new ProfileRow(this.t0, this.t0, pausedUntil, null, 0, AccountRules.AccountState.UNKNOWN).turn(SPACING))
			.isEqualTo(pausedUntil);
		assertThat(new ProfileRow(this.t0, this.t0, pausedUntil, null, 0, AccountRules.AccountState.UNKNOWN)
			.turn(Duration.ZERO)).isEqualTo(pausedUntil);
		assertThat(new ProfileRow(null, null, null, null, 0, AccountRules.AccountState.UNKNOWN).turn(SPACING)).isNull();
	}

	@Test
	void anotherBatchsStartMayBeOnItsWayUntilTheLongestCallPassed() {
		InFlight inFlight = new InFlight("other", "worker-1", this.t0);
		Duration longestCall = Duration.ofSeconds(35);

		assertThat(inFlight.mayStillBeOnItsWay("mine", this.t0.plusSeconds(34), longestCall)).isTrue();
		assertThat(inFlight.mayStillBeOnItsWay("mine", this.t0.plusSeconds(35), longestCall)).isFalse();
		assertThat(inFlight.mayStillBeOnItsWay("other", this.t0.plusSeconds(1), longestCall))
			.as("a batch's own leftover never holds it up")
			.isFalse();
	}

}
