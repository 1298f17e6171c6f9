package io.veoupscale.worker.batch;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPacingTests {

	private static final Duration DELAY = Duration.ofMillis(1500);

	private final Instant t0 = Instant.parse("2026-12-05T10:00:00Z");

	@Test
	void leavesTheDelayAfterFlowAnsweredThePreviousStart() {
		Instant answered = this.t0.plusMillis(320);

		assertThat(BatchPacing.nextStartAt(answered, DELAY, this.t0.plusMillis(400))).isEqualTo(answered.plus(DELAY));
	}

	@Test
	void leavesAtOnceWhenTheDelayHasPassedOrNothingStartedYet() {
		assertThat(BatchPacing.nextStartAt(this.t0, DELAY, this.t0.plusSeconds(2))).isEqualTo(this.t0.plusSeconds(2));
		assertThat(BatchPacing.nextStartAt(null, DELAY, this.t0)).isEqualTo(this.t0);
	}

	@Test
	void countsATakenOverBatchFromItsRecordedAnswer() {
		Instant answered = this.t0.plusMillis(200);

		assertThat(BatchPacing.previousSettledAt(false, answered, this.t0.plusSeconds(40))).isEqualTo(answered);
		assertThat(BatchPacing.previousSettledAt(false, null, this.t0.plusSeconds(40))).isNull();
	}

	@Test
	void countsATakenOverBatchFromTheTakeoverWhenAStartMayHaveBeenInFlight() {
		Instant claimed = this.t0.plusSeconds(35);

		assertThat(BatchPacing.previousSettledAt(true, this.t0, claimed)).isEqualTo(claimed);
		assertThat(BatchPacing.previousSettledAt(true, null, claimed)).isEqualTo(claimed);
	}

}
