package io.veoupscale.poller.operation;

import java.time.Duration;
import java.time.Instant;

import io.veoupscale.events.UpscaleFinished;
import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.poller.PollerProperties;
import io.veoupscale.poller.operation.OperationRepository.DueOperation;
import io.veoupscale.poller.operation.OperationRepository.Finished;
import io.veoupscale.poller.operation.OperationRepository.Rescheduled;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * When an operation is checked and what a check means for it: the next check with
 * back-off, a pause, or its end. Pure functions of the operation, the result and the time
 * they are given, so the whole schedule is tested on a fixed clock.
 */
@Component
class CheckSchedule {

	private final PollerProperties properties;

	CheckSchedule(PollerProperties properties) {
		this.properties = properties;
	}

	/**
	 * The schedule of an upscale Flow has just accepted.
	 * @param initiated the upscale
	 * @param now when it is taken into the schedule
	 * @return its first check
	 */
	FirstCheck first(UpscaleInitiated initiated, Instant now) {
		return new FirstCheck(now.plus(this.properties.firstCheckDelay()),
				initiated.initiatedAt().plus(this.properties.deadline()),
				(int) this.properties.checkInterval().toMillis());
	}

	/**
	 * What a check's result means for a due operation.
	 * @param operation the operation as it was claimed
	 * @param result what the check learned
	 * @param now when it learned it
	 * @return its end, or its next check
	 */
	Decision decide(DueOperation operation, CheckResult result, Instant now) {
		return switch (result.kind()) {
			case COMPLETED -> Decision.end(operation, UpscaleFinished.COMPLETED, result.detail(), null);
			case FAILED ->
				Decision.end(operation, UpscaleFinished.FAILED, null, "Upscale failed at Flow: " + result.detail());
			case RUNNING -> next(operation, now, 0, null, null, false);
			case ACTIVE -> next(operation, now, 0, null, null, true);
			case VIDEO_URL_NOT_READY -> next(operation, now, 0, null, this.properties.mediaUrlRetry(), false);
			case ERROR -> next(operation, now, operation.consecutiveErrors() + 1, result.detail(), null, false);
			case THROTTLED -> next(operation, now, operation.consecutiveErrors(), "throttled: " + result.detail(),
					pauseAfterThrottle(result.retryAfter()), false);
		};
	}

	/**
	 * How long a throttled profile's operations wait: as long as Flow asked, or the
	 * longest check interval when it did not say.
	 * @param retryAfter Flow's Retry-After, if any
	 * @return the pause
	 */
	Duration pauseAfterThrottle(@Nullable Duration retryAfter) {
		return (retryAfter != null) ? retryAfter : this.properties.maxCheckInterval();
	}

	/**
	 * The next check: after the operation's interval, which then grows by the back-off
	 * multiplier up to the longest interval, or after a given wait, which leaves the
	 * interval as it was; never after the deadline, and past the deadline the end.
	 */
	private Decision next(DueOperation operation, Instant now, int errors, @Nullable String error,
			@Nullable Duration wait, boolean processing) {
		if (!now.isBefore(operation.deadline())) {
			String lastError = (error != null) ? " (last error: " + error + ")" : "";
			return new Decision(new Finished(operation, UpscaleFinished.FAILED, null,
					"Upscale did not finish within " + this.properties.deadline().toMinutes() + " minutes" + lastError),
					null, processing);
		}
		int interval = operation.intervalMs();
		Duration delay = (wait != null) ? wait : Duration.ofMillis(interval);
		int grown = (int) Math.min(this.properties.maxCheckInterval().toMillis(),
				Math.round(interval * this.properties.backoffMultiplier()));
		Instant next = now.plus(delay);
		if (next.isAfter(operation.deadline())) {
			next = operation.deadline();
		}
		return new Decision(null,
				new Rescheduled(operation.upscaleId(), next, (wait != null) ? interval : grown, errors, error),
				processing);
	}

	/**
	 * How a new operation enters the schedule.
	 *
	 * @param nextCheckAt its first check
	 * @param deadline when it fails if it has not ended
	 * @param intervalMs the interval after its first check
	 */
	record FirstCheck(Instant nextCheckAt, Instant deadline, int intervalMs) {
	}

	/**
	 * What happens to a checked operation: exactly one of its end or its next check.
	 *
	 * @param end its end, to be recorded with its event
	 * @param next its next check
	 * @param processing whether its upscale is to be marked processing
	 */
	record Decision(@Nullable Finished end, @Nullable Rescheduled next, boolean processing) {

		static Decision end(DueOperation operation, String status, @Nullable String videoUrl, @Nullable String error) {
			return new Decision(new Finished(operation, status, videoUrl, error), null, false);
		}

	}

}
