package io.veoupscale.worker.batch;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The delay of a batch: a start leaves {@code delayMs} after the previous start of its
 * batch was answered (or failed, or timed out: the moment the worker knows the request is
 * no longer on its way), so Flow never sees two starts of a batch closer than that,
 * however long either spent on its way. The worker cannot know when a request reaches
 * Flow; it only knows when the answer came.
 */
final class BatchPacing {

	private BatchPacing() {
	}

	/**
	 * When the batch's next start may leave.
	 * @param previousSettledAt when its previous start was answered or ended, null if it
	 * had none
	 * @param delay the batch's delay
	 * @param now the current time
	 * @return the moment, never before now
	 */
	static Instant nextStartAt(@Nullable Instant previousSettledAt, Duration delay, Instant now) {
		if (previousSettledAt == null) {
			return now;
		}
		Instant due = previousSettledAt.plus(delay);
		return due.isAfter(now) ? due : now;
	}

	/**
	 * When the previous start of a batch taken over from PostgreSQL was certainly no
	 * longer on its way: its recorded answer, or, when an item was left {@code starting}
	 * (its worker stopped while a start may have been in flight), the moment of the
	 * takeover, after the dead worker's lease ran out.
	 * @param interrupted whether an item of the batch is marked {@code starting}
	 * @param lastAnswerAt when the latest recorded answer came, null if none was
	 * @param claimedAt when this instance took the batch
	 * @return the moment, or null if the batch never started anything
	 */
	static @Nullable Instant previousSettledAt(boolean interrupted, @Nullable Instant lastAnswerAt, Instant claimedAt) {
		return interrupted ? claimedAt : lastAnswerAt;
	}

}
