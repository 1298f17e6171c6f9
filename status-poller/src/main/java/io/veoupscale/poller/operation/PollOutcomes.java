package io.veoupscale.poller.operation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.veoupscale.poller.operation.CheckSchedule.Decision;
import io.veoupscale.poller.operation.OperationRepository.Finished;
import io.veoupscale.poller.operation.OperationRepository.Rescheduled;

/**
 * What one poll decided, and the credits its status calls reported, filled by its
 * concurrent status calls and written in one transaction.
 */
final class PollOutcomes {

	private final List<Finished> finished = new ArrayList<>();

	private final List<Rescheduled> rescheduled = new ArrayList<>();

	private final List<String> processing = new ArrayList<>();

	private final Map<String, Credits> credits = new HashMap<>();

	synchronized void addAll(List<Decision> decisions) {
		for (Decision decision : decisions) {
			Finished end = decision.end();
			Rescheduled next = decision.next();
			if (end != null) {
				this.finished.add(end);
				if (decision.processing()) {
					this.processing.add(end.operation().upscaleId());
				}
			}
			else if (next != null) {
				this.rescheduled.add(next);
				if (decision.processing()) {
					this.processing.add(next.upscaleId());
				}
			}
		}
	}

	/**
	 * Keeps the credits a status call of the profile reported, the latest of the poll.
	 */
	synchronized void credits(String profileId, int remaining, Instant at) {
		this.credits.merge(profileId, new Credits(remaining, at),
				(old, latest) -> old.at().isAfter(latest.at()) ? old : latest);
	}

	synchronized Map<String, Credits> credits() {
		return Map.copyOf(this.credits);
	}

	synchronized List<Finished> finished() {
		return this.finished;
	}

	synchronized List<Rescheduled> rescheduled() {
		return this.rescheduled;
	}

	synchronized List<String> processing() {
		return this.processing;
	}

	/**
	 * An account's credits as a status call reported them.
	 *
	 * @param remaining the credits
	 * @param at when the answer came
	 */
	record Credits(int remaining, Instant at) {
	}

}
