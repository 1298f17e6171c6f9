package io.veoupscale.poller.operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.poller.operation.CheckSchedule.Decision;
import io.veoupscale.poller.operation.CheckSchedule.FirstCheck;
import io.veoupscale.poller.operation.OperationRepository.DueOperation;
import io.veoupscale.poller.operation.OperationRepository.Finished;
import io.veoupscale.poller.operation.OperationRepository.Rescheduled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check schedule on a fixed clock: when an operation is checked, and what each result
 * means for it.
 */
class CheckScheduleTests {

	private static final Instant INITIATED = Instant.parse("2026-12-01T10:00:00Z");

	private final Clock clock = Clock.fixed(INITIATED, ZoneOffset.UTC);

	@Test
	void checksAfterTheFirstDelayThenBacksOff() {
		CheckSchedule schedule = schedule(
				Map.of("upscale.poller.first-check-delay", "200ms", "upscale.poller.check-interval", "300ms"));
		FirstCheck first = schedule.first(initiated(), this.clock.instant());
		assertThat(first.nextCheckAt()).isEqualTo(INITIATED.plusMillis(200));
		assertThat(first.deadline()).isEqualTo(INITIATED.plus(Duration.ofMinutes(30)));

		DueOperation operation = due(first.deadline(), first.intervalMs(), 0);
		Instant checkedAt = first.nextCheckAt();
		for (long gap : new long[] { 300, 450, 675, 1013, 1520 }) {
			Rescheduled next = schedule.decide(operation, CheckResult.running(), checkedAt).next();
			assertThat(next.nextCheckAt()).isEqualTo(checkedAt.plusMillis(gap));
			checkedAt = next.nextCheckAt();
			operation = due(first.deadline(), next.intervalMs(), next.consecutiveErrors());
		}
		assertThat(checkedAt).isEqualTo(INITIATED.plusMillis(200 + 300 + 450 + 675 + 1013 + 1520));
	}

	@Test
	void backsOffNoFurtherThanTheLongestInterval() {
		CheckSchedule schedule = schedule(Map.of());
		Instant now = this.clock.instant();

		Rescheduled next = schedule.decide(due(now.plus(Duration.ofMinutes(30)), 50_000, 0), CheckResult.running(), now)
			.next();

		assertThat(next.nextCheckAt()).isEqualTo(now.plusSeconds(50));
		assertThat(next.intervalMs()).isEqualTo(60_000);
	}

	@Test
	void takesAnUpscaleIntoTheScheduleWithTheDeadlineCountedFromItsStart() {
		CheckSchedule schedule = schedule(Map.of("upscale.poller.deadline", "10m"));
		Instant tracked = Clock.offset(this.clock, Duration.ofMinutes(2)).instant();

		FirstCheck first = schedule.first(initiated(), tracked);

		assertThat(first)
			.isEqualTo(new FirstCheck(tracked.plusSeconds(5), INITIATED.plus(Duration.ofMinutes(10)), 5_000));
	}

	@Test
	void completesWithTheVideoUrl() {
		Instant now = this.clock.instant();
		DueOperation operation = due(now.plusSeconds(60), 5_000, 2);

		Decision decision = schedule(Map.of()).decide(operation, CheckResult.completed("https://video"), now);

		assertThat(decision)
			.isEqualTo(new Decision(new Finished(operation, "completed", "https://video", null), null, false));
	}

	@Test
	void completesAVideoFoundAtTheDeadline() {
		Instant now = this.clock.instant();
		DueOperation operation = due(now, 5_000, 0);

		Decision decision = schedule(Map.of()).decide(operation, CheckResult.completed("https://video"), now);

		assertThat(decision.end()).isEqualTo(new Finished(operation, "completed", "https://video", null));
	}

	@Test
	void failsWithFlowsReasons() {
		Instant now = this.clock.instant();
		DueOperation operation = due(now.plusSeconds(60), 5_000, 0);

		Decision decision = schedule(Map.of()).decide(operation, CheckResult.failed("PROMINENT_PERSON"), now);

		assertThat(decision.end())
			.isEqualTo(new Finished(operation, "failed", null, "Upscale failed at Flow: PROMINENT_PERSON"));
		assertThat(decision.next()).isNull();
	}

	@Test
	void marksAnUpscaleFlowReportsActiveProcessing() {
		Instant now = this.clock.instant();
		DueOperation operation = due(now.plusSeconds(60), 5_000, 0);

		assertThat(schedule(Map.of()).decide(operation, CheckResult.active(), now).processing()).isTrue();
		assertThat(schedule(Map.of()).decide(operation, CheckResult.running(), now).processing()).isFalse();
	}

	@Test
	void countsConsecutiveErrorsAndBacksOff() {
		Instant now = this.clock.instant();
		DueOperation operation = due(now.plusSeconds(60), 4_000, 2);

		Rescheduled next = schedule(Map.of()).decide(operation, CheckResult.error("503"), now).next();

		assertThat(next).isEqualTo(new Rescheduled("u1", now.plusMillis(4_000), 6_000, 3, "503"));
	}

	@Test
	void clearsTheErrorsOnceFlowAnswers() {
		Instant now = this.clock.instant();
		DueOperation operation = due(now.plusSeconds(60), 4_000, 2);

		Rescheduled next = schedule(Map.of()).decide(operation, CheckResult.running(), now).next();

		assertThat(next).isEqualTo(new Rescheduled("u1", now.plusMillis(4_000), 6_000, 0, null));
	}

	@Test
	void pausesAThrottledOperationAsLongAsFlowAskedWithoutCountingAnErrorOrBackingOff() {
		Instant now = this.clock.instant();
		DueOperation operation = due(now.plus(Duration.ofMinutes(10)), 4_000, 1);

		Rescheduled next = schedule(Map.of())
			.decide(operation, CheckResult.throttled("RESOURCE_EXHAUSTED", Duration.ofSeconds(90)), now)
			.next();

		assertThat(next)
			.isEqualTo(new Rescheduled("u1", now.plusSeconds(90), 4_000, 1, "throttled: RESOURCE_EXHAUSTED"));
	}

	@Test
	void pausesAThrottledOperationForTheLongestIntervalWhenFlowGaveNoRetryAfter() {
		Instant now = this.clock.instant();
		DueOperation operation = due(now.plus(Duration.ofMinutes(10)), 4_000, 0);

		Rescheduled next = schedule(Map.of("upscale.poller.max-check-interval", "45s"))
			.decide(operation, CheckResult.throttled("RESOURCE_EXHAUSTED", null), now)
			.next();

		assertThat(next.nextCheckAt()).isEqualTo(now.plusSeconds(45));
	}

	@Test
	void asksSoonAgainForAVideoUrlThatIsNotReady() {
		Instant now = this.clock.instant();
		DueOperation operation = due(now.plusSeconds(60), 4_000, 1);

		Rescheduled next = schedule(Map.of("upscale.poller.media-url-retry", "2s"))
			.decide(operation, CheckResult.videoUrlNotReady(), now)
			.next();

		assertThat(next).isEqualTo(new Rescheduled("u1", now.plusSeconds(2), 4_000, 0, null));
	}

	@Test
	void neverSchedulesACheckPastTheDeadline() {
		Instant now = this.clock.instant();
		DueOperation operation = due(now.plusMillis(1_500), 4_000, 0);

		Rescheduled next = schedule(Map.of()).decide(operation, CheckResult.running(), now).next();

		assertThat(next.nextCheckAt()).isEqualTo(now.plusMillis(1_500));
	}

	@Test
	void failsAnOperationStillRunningAtItsDeadline() {
		Instant deadline = this.clock.instant();
		DueOperation operation = due(deadline, 4_000, 0);

		Decision decision = schedule(Map.of()).decide(operation, CheckResult.running(), deadline);

		assertThat(decision.end())
			.isEqualTo(new Finished(operation, "failed", null, "Upscale did not finish within 30 minutes"));
		assertThat(decision.next()).isNull();
	}

	@Test
	void failsAnOperationPastItsDeadlineWithTheLastError() {
		Instant deadline = this.clock.instant();
		DueOperation operation = due(deadline, 4_000, 3);

		Decision decision = schedule(Map.of()).decide(operation, CheckResult.error("503"),
				Clock.offset(this.clock, Duration.ofSeconds(1)).instant());

		assertThat(decision.end()).isEqualTo(
				new Finished(operation, "failed", null, "Upscale did not finish within 30 minutes (last error: 503)"));
	}

	private static CheckSchedule schedule(Map<String, String> properties) {
		return new CheckSchedule(PollerSettings.bind(properties));
	}

	private static UpscaleInitiated initiated() {
		return new UpscaleInitiated("u1", "b1", 1, "gen-1", "p1", "scene-1", "op-1", "fp1", "veo_2_1080p_upsampler_8s",
				INITIATED);
	}

	private static DueOperation due(Instant deadline, int intervalMs, int consecutiveErrors) {
		return new DueOperation("u1", "b1", "gen-1", "p1", "op-1", "fp1", deadline, intervalMs, consecutiveErrors,
				INITIATED, false);
	}

}
