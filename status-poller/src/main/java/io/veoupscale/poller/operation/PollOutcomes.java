package io.veoupscale.poller.operation;

import java.util.ArrayList;
import java.util.List;

import io.veoupscale.poller.operation.CheckSchedule.Decision;
import io.veoupscale.poller.operation.OperationRepository.Finished;
import io.veoupscale.poller.operation.OperationRepository.Rescheduled;

/**
 * What one poll decided, filled by its concurrent status calls and written in one
 * transaction.
 */
final class PollOutcomes {

	private final List<Finished> finished = new ArrayList<>();

	private final List<Rescheduled> rescheduled = new ArrayList<>();

	private final List<String> processing = new ArrayList<>();

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

	synchronized List<Finished> finished() {
		return this.finished;
	}

	synchronized List<Rescheduled> rescheduled() {
		return this.rescheduled;
	}

	synchronized List<String> processing() {
		return this.processing;
	}

}
