package io.veoupscale.worker.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.StartedUpscale;
import io.veoupscale.store.TopicProperties;
import io.veoupscale.store.batch.BatchControl;
import io.veoupscale.store.outbox.BatchEventPublisher;
import io.veoupscale.store.outbox.Outbox;
import io.veoupscale.worker.WorkerInstance;
import io.veoupscale.worker.batch.BatchRepository.Call;
import io.veoupscale.worker.batch.BatchRepository.Counts;
import io.veoupscale.worker.batch.BatchRepository.Item;
import io.veoupscale.worker.batch.ItemValidator.Ready;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records what came of each item, behind the lease fence, in one transaction with its
 * events, and settles the profile's start in flight in the same transaction.
 */
@Component
class ItemOutcomes {

	private static final Logger logger = LoggerFactory.getLogger(ItemOutcomes.class);

	private final BatchRepository batches;

	private final ProfileTurns profiles;

	private final BatchEventPublisher events;

	private final Outbox outbox;

	private final TopicProperties topics;

	private final TransactionTemplate transactions;

	private final WorkerInstance instance;

	private final Clock clock;

	private final MeterRegistry meters;

	private final FlowClient flow;

	private final BatchControl control;

	ItemOutcomes(BatchRepository batches, ProfileTurns profiles, BatchEventPublisher events, Outbox outbox,
			TopicProperties topics, TransactionTemplate transactions, WorkerInstance instance, Clock clock,
			MeterRegistry meters, FlowClient flow, BatchControl control) {
		this.batches = batches;
		this.profiles = profiles;
		this.events = events;
		this.outbox = outbox;
		this.topics = topics;
		this.transactions = transactions;
		this.instance = instance;
		this.clock = clock;
		this.meters = meters;
		this.flow = flow;
		this.control = control;
	}

	/**
	 * Records an upscale Flow accepted (or had of the source already), the model key sent
	 * for it, its progress event and its initiated record.
	 */
	void started(BatchWork batch, Item item, Ready ready, ItemStarts.Outcome.Started outcome) {
		StartedUpscale started = outcome.upscale();
		Call call = outcome.call();
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((status) -> {
			this.batches.markStarted(
					batch.id(), this.instance.id(), item, new BatchRepository.StartedItem(ready.profileId(),
							started.operationName(), ready.flowProjectId(), this.flow.modelKey(item.model())),
					call, now);
			this.profiles.settle(ready.profileId(), batch.id(), call.sentAt(), call.answeredAt(), true,
					outcome.clearsThrottle());
			this.events
				.publish(ItemProgressed.succeeded(batch.id(), item.index(), batch.total(), item.sourceGenerationId(),
						item.upscaleId(), item.sceneId(), started.operationName(), eventId(), now));
			this.outbox.append(this.topics.operations(), item.upscaleId(),
					new UpscaleInitiated(item.upscaleId(), batch.id(), item.index(), item.sourceGenerationId(),
							ready.profileId(), item.sceneId(), started.operationName(), ready.flowProjectId(),
							item.model(), now));
			this.control.concludeCancelled(batch.id(), now);
		});
		this.meters.counter("upscale.batch.items", "outcome", "started", "reason", "none").increment();
		logger.debug("batch {}: item {} started as {}", batch.id(), item.index(), started.operationName());
	}

	/**
	 * Ends an item as failed.
	 * @param heldProfile the profile whose start in flight the item holds, if any
	 * @param call the start that was tried, if any
	 */
	void failed(BatchWork batch, Item item, String error, @Nullable String heldProfile, @Nullable Call call) {
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((status) -> {
			this.batches.markFailed(batch.id(), this.instance.id(), item.index(), error, call, now);
			if (heldProfile != null) {
				this.profiles.settle(heldProfile, batch.id(), (call != null) ? call.sentAt() : null,
						(call != null) ? call.answeredAt() : now, false, false);
			}
			this.events.publish(ItemProgressed.failed(batch.id(), item.index(), batch.total(),
					item.sourceGenerationId(), error, eventId(), now));
			this.control.concludeCancelled(batch.id(), now);
		});
		this.meters.counter("upscale.batch.items", "outcome", "failed", "reason", reasonTag(error)).increment();
		logger.debug("batch {}: item {} failed: {}", batch.id(), item.index(), error);
	}

	/**
	 * Puts the current item back to wait after a start Flow certainly did not take, and
	 * settles the profile's start in flight.
	 * @param call the start that was tried, if any left
	 */
	void retrying(BatchWork batch, String profileId, @Nullable Call call) {
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((status) -> {
			this.batches.markPending(batch.id(), this.instance.id(), batch.item().index(), call, now);
			this.profiles.settle(profileId, batch.id(), (call != null) ? call.sentAt() : null,
					(call != null) ? call.answeredAt() : now, false, false);
		});
	}

	/**
	 * Puts the current item back to wait after Flow throttled its profile, and pauses the
	 * profile for every worker; after a spent quota (with {@code quota-held-items=wait})
	 * the profile is held already, and the item waits as long as it was told.
	 * @return when the pause ends
	 */
	Instant throttled(BatchWork batch, String profileId, String reason, @Nullable Duration retryAfter, Call call) {
		Instant now = this.clock.instant();
		boolean held = AccountRules.isQuotaReason(reason) && retryAfter != null;
		Instant until = this.transactions.execute((status) -> {
			this.batches.markPending(batch.id(), this.instance.id(), batch.item().index(), call, now);
			this.profiles.settle(profileId, batch.id(), call.sentAt(), call.answeredAt(), false, false);
			return held ? now.plus(retryAfter) : this.profiles.pause(profileId, retryAfter, reason, now);
		});
		if (held) {
			logger.info("batch {}: profile {} held for its quota ({}); the item waits", batch.id(), profileId, reason);
			return (until != null) ? until : now;
		}
		logger.warn("batch {}: profile {} throttled by Flow ({}); every worker pauses it until {}", batch.id(),
				profileId, reason, until);
		return (until != null) ? until : now;
	}

	/**
	 * Marks the batch completed, with its {@code completed} event, once all its items
	 * ended.
	 * @return its final counts, or empty if it was completed already
	 */
	Optional<Counts> completed(BatchWork batch) {
		Optional<Counts> completed = this.transactions.execute((status) -> {
			Instant now = this.clock.instant();
			Optional<Counts> counts = this.batches.complete(batch.id(), now);
			counts.ifPresent((c) -> this.events.publish(new BatchCompleted(batch.id(), c.successCount(),
					c.failureCount(), c.total(), eventId(), now, c.cancelledCount())));
			return counts;
		});
		if (completed != null && completed.isPresent()) {
			Counts counts = completed.get();
			logger.info("batch {}: completed, {}/{} started, {} failed", batch.id(), counts.successCount(),
					counts.total(), counts.failureCount());
			return completed;
		}
		return Optional.empty();
	}

	private static String reasonTag(String error) {
		if (error.equals(ItemStarts.OUTCOME_UNKNOWN)) {
			return "outcome_unknown";
		}
		if (error.startsWith(ItemStarts.FAILED_PREFIX)) {
			String reason = error.substring(ItemStarts.FAILED_PREFIX.length());
			int space = reason.indexOf(' ');
			return (space > 0) ? reason.substring(0, space) : reason;
		}
		return error;
	}

	private static String eventId() {
		return UUID.randomUUID().toString();
	}

}
