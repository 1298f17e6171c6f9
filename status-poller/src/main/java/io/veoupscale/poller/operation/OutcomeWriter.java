package io.veoupscale.poller.operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.veoupscale.events.UpscaleFinished;
import io.veoupscale.poller.operation.OperationRepository.DueOperation;
import io.veoupscale.poller.operation.OperationRepository.Finished;
import io.veoupscale.store.outbox.BatchEventPublisher;
import io.veoupscale.store.profile.ProfileAccounts;
import io.veoupscale.store.trace.TraceContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes what one poll decided in one transaction: the ends with their
 * {@code veo3:upscale:status} events (through the outbox), the upscales now processing,
 * and the next checks, each only while this poller still holds the operation's lease; and
 * the credits Flow reported of each profile's account.
 */
@Component
class OutcomeWriter {

	private static final Logger logger = LoggerFactory.getLogger(OutcomeWriter.class);

	private final OperationRepository operations;

	private final BatchEventPublisher events;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final MeterRegistry meters;

	private final ProfileAccounts accounts;

	private final TraceContexts traces;

	OutcomeWriter(OperationRepository operations, BatchEventPublisher events, TransactionTemplate transactions,
			Clock clock, MeterRegistry meters, ProfileAccounts accounts, TraceContexts traces) {
		this.traces = traces;
		this.accounts = accounts;
		this.operations = operations;
		this.events = events;
		this.transactions = transactions;
		this.clock = clock;
		this.meters = meters;
	}

	void write(PollOutcomes outcomes, String owner) {
		Instant now = this.clock.instant();
		List<Finished> written = this.transactions.execute((status) -> {
			List<Finished> ends = this.operations.finish(outcomes.finished(), owner, now);
			for (Finished end : ends) {
				DueOperation operation = end.operation();
				try (TraceContexts.Scope trace = this.traces.open(operation.traceparent())) {
					this.events.publish(new UpscaleFinished(operation.batchId(), operation.upscaleId(),
							operation.sourceGenerationId(), end.status(), end.videoUrl(), end.error(),
							UUID.randomUUID().toString(), now));
					logger.info("upscale {}: {}", operation.upscaleId(), end.status());
				}
			}
			this.operations.markProcessing(outcomes.processing(), now);
			this.operations.reschedule(outcomes.rescheduled(), owner);
			outcomes.credits()
				.forEach((profileId, credits) -> this.accounts.recordCredits(profileId, credits.remaining(),
						credits.at()));
			return ends;
		});
		for (Finished end : (written != null) ? written : List.<Finished>of()) {
			Instant initiatedAt = end.operation().initiatedAt();
			if (initiatedAt != null) {
				Timer.builder("upscale.poller.completion.time")
					.description("Time from an upscale's start at Flow to its end")
					.tag("status", end.status())
					.register(this.meters)
					.record(Duration.between(initiatedAt, now));
			}
		}
	}

}
