package io.veoupscale.worker.batch;

import java.time.Duration;
import java.time.Instant;

import io.veoupscale.worker.batch.StartSchedule.Turn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StartScheduleTests {

	private static final Duration SPACING = Duration.ofSeconds(1);

	private static final Duration LEAD = Duration.ofMillis(50);

	private final Instant t0 = Instant.parse("2026-12-05T10:00:00Z");

	private final StartSchedule schedule = new StartSchedule(SPACING);

	@Test
	void startsAnIdleProfilesBatchAtOnceWhateverAnotherProfileHasQueued() {
		for (int i = 0; i < 30; i++) {
			this.schedule.offer("busy", "busy-" + i, this.t0.plusMillis(i), this.t0);
		}
		assertThat(this.schedule.take("busy", this.t0.plus(LEAD))).hasSize(1);

		this.schedule.offer("idle", "idle-1", this.t0.plusSeconds(60), this.t0);

		assertThat(this.schedule.nextTurnAt("idle")).isEqualTo(this.t0);
		assertThat(this.schedule.take("idle", this.t0.plus(LEAD))).containsExactly(new Turn("idle", "idle-1", this.t0));
	}

	@Test
	void holdsOneStartOfAProfileInFlightAndSpacesTheNextFromFlowsAnswer() {
		this.schedule.offer("p", "a", this.t0, this.t0);
		this.schedule.offer("p", "b", this.t0.plusMillis(1), this.t0);

		assertThat(this.schedule.take("p", this.t0.plus(LEAD))).extracting(Turn::batchId).containsExactly("a");
		assertThat(this.schedule.take("p", this.t0.plus(LEAD))).as("a start is in flight").isEmpty();
		assertThat(this.schedule.nextTurnAt("p")).isNull();

		Instant answered = this.t0.plusMillis(400);
		this.schedule.settled("p", answered);

		assertThat(this.schedule.nextTurnAt("p")).isEqualTo(answered.plus(SPACING));
		assertThat(this.schedule.take("p", answered.plus(SPACING).minus(LEAD).minusMillis(1))).isEmpty();
		assertThat(this.schedule.take("p", answered.plus(SPACING)))
			.containsExactly(new Turn("p", "b", answered.plus(SPACING)));
	}

	@Test
	void givesAProfilesTurnToItsOldestBatchWhoseTimeHasCome() {
		Instant later = this.t0.plusSeconds(5);
		this.schedule.offer("p", "oldest", this.t0, later);
		this.schedule.offer("p", "middle", this.t0.plusMillis(1), this.t0);
		this.schedule.offer("p", "youngest", this.t0.plusMillis(2), this.t0);

		assertThat(this.schedule.take("p", this.t0)).extracting(Turn::batchId)
			.as("the oldest is not due yet; its turn goes to the next oldest")
			.containsExactly("middle");
		this.schedule.settled("p", this.t0);
		assertThat(this.schedule.take("p", later)).extracting(Turn::batchId).containsExactly("oldest");
	}

	@Test
	void setsATurnTakenAheadToLeaveAtItsOwnTime() {
		Instant due = this.t0.plusMillis(30);
		this.schedule.offer("p", "a", this.t0, due);

		assertThat(this.schedule.nextTurnAt("p")).isEqualTo(due);
		assertThat(this.schedule.take("p", this.t0.plus(LEAD))).containsExactly(new Turn("p", "a", due));
	}

	@Test
	void keepsEveryStartOfAHeldProfileBackUntilTheHoldEnds() {
		Instant pausedUntil = this.t0.plusSeconds(30);
		this.schedule.holdUntil("p", pausedUntil);
		this.schedule.offer("p", "a", this.t0, this.t0);
		this.schedule.offer("q", "b", this.t0, this.t0);

		assertThat(this.schedule.take("p", this.t0.plus(LEAD))).isEmpty();
		assertThat(this.schedule.nextTurnAt("p")).isEqualTo(pausedUntil);
		assertThat(this.schedule.take("q", this.t0.plus(LEAD))).as("another profile is not held").hasSize(1);
		assertThat(this.schedule.take("p", pausedUntil)).containsExactly(new Turn("p", "a", pausedUntil));
	}

	@Test
	void givesATurnBackWithoutSpacingWhenNothingWasSent() {
		this.schedule.offer("p", "a", this.t0, this.t0);
		this.schedule.offer("p", "b", this.t0.plusMillis(1), this.t0);
		this.schedule.take("p", this.t0);

		this.schedule.released("p");

		assertThat(this.schedule.take("p", this.t0)).extracting(Turn::batchId).containsExactly("b");
	}

	@Test
	void startsEveryDueStartOfAProfileAtOnceWithoutSpacing() {
		StartSchedule unspaced = new StartSchedule(Duration.ZERO);
		unspaced.offer("p", "a", this.t0, this.t0);
		unspaced.offer("p", "b", this.t0.plusMillis(1), this.t0);
		unspaced.offer("p", "c", this.t0.plusMillis(2), this.t0.plusSeconds(1));

		assertThat(unspaced.take("p", this.t0.plus(LEAD))).extracting(Turn::batchId).containsExactly("a", "b");
		assertThat(unspaced.nextTurnAt("p")).isEqualTo(this.t0.plusSeconds(1));
	}

	@Test
	void forgetsTheWaitingStartOfARemovedBatch() {
		this.schedule.offer("p", "a", this.t0, this.t0);

		this.schedule.remove("p", "a", this.t0);

		assertThat(this.schedule.waiting()).isZero();
		assertThat(this.schedule.take("p", this.t0.plus(LEAD))).isEmpty();
		assertThat(this.schedule.nextTurnAt("p")).isNull();
	}

}
