package io.veoupscale.worker.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.flow.FlowAlreadyExistsException;
import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.FlowException;
import io.veoupscale.flow.FlowOutcomeUnknownException;
import io.veoupscale.flow.FlowThrottledException;
import io.veoupscale.flow.FlowUnavailableException;
import io.veoupscale.flow.RecaptchaTokenSource;
import io.veoupscale.flow.StartTiming;
import io.veoupscale.flow.StartedUpscale;
import io.veoupscale.flow.UpscaleStart;
import io.veoupscale.store.TopicProperties;
import io.veoupscale.store.generation.Generation;
import io.veoupscale.store.outbox.BatchEventPublisher;
import io.veoupscale.store.outbox.Outbox;
import io.veoupscale.worker.WorkerInstance;
import io.veoupscale.worker.WorkerProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Works one leased batch item by item. An item is marked {@code starting} in the
 * transaction that takes its turn (batch delay and profile spacing) and behind the lease
 * fence, just before the upstream call, and its outcome is written with its events right
 * after; so a restarted or different worker resumes at the first unfinished item and
 * never starts an item twice.
 */
@Service
class BatchProcessor {

	private static final Logger logger = LoggerFactory.getLogger(BatchProcessor.class);

	static final String FAILED_PREFIX = "Upscale request failed: ";

	static final String OUTCOME_UNKNOWN = FAILED_PREFIX
			+ "outcome unknown (the start was sent but no answer came); not resubmitted to avoid a duplicate";

	/**
	 * How long before its turn an item takes the turn (lease fence, profile schedule,
	 * item marked {@code starting}), so that the database's variable latency never sits
	 * between the turn and the wire; the item then leaves exactly on time.
	 */
	private static final Duration TURN_LEAD = Duration.ofMillis(50);

	private final BatchRepository batches;

	private final ProfilePacing profiles;

	private final ItemValidator validator;

	private final FlowClient flow;

	private final RecaptchaTokenSource recaptcha;

	private final Outbox outbox;

	private final BatchEventPublisher events;

	private final TopicProperties topics;

	private final TransactionTemplate transactions;

	private final WorkerInstance instance;

	private final WorkerProperties properties;

	private final Clock clock;

	private final RetryTemplate transientRetry;

	private final MeterRegistry meters;

	private final Timer pacingWait;

	BatchProcessor(BatchRepository batches, ProfilePacing profiles, ItemValidator validator, FlowClient flow,
			RecaptchaTokenSource recaptcha, Outbox outbox, BatchEventPublisher events, TopicProperties topics,
			TransactionTemplate transactions, WorkerInstance instance, WorkerProperties properties, Clock clock,
			MeterRegistry meters) {
		this.batches = batches;
		this.profiles = profiles;
		this.validator = validator;
		this.flow = flow;
		this.recaptcha = recaptcha;
		this.outbox = outbox;
		this.events = events;
		this.topics = topics;
		this.transactions = transactions;
		this.instance = instance;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		this.transientRetry = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(properties.transientRetries())
			.delay(properties.transientBackoff())
			.multiplier(2)
			.maxDelay(properties.maxTransientBackoff())
			.includes(FlowUnavailableException.class)
			.build());
		this.pacingWait = Timer.builder("upscale.pacing.wait")
			.description("Time spent waiting for an item's turn to start")
			.register(meters);
	}

	void process(BatchRepository.LeasedBatch batch) {
		BatchTurns turns = new BatchTurns(batch.lastStartAt(), Duration.ofMillis(batch.delayMs()));
		for (BatchRepository.Item item : this.batches.unfinishedItems(batch.id())) {
			if (Thread.currentThread().isInterrupted()) {
				throw new LeaseLostException(batch.id());
			}
			processItem(batch, item, turns);
		}
		Optional<BatchRepository.Counts> completed = this.transactions.execute((status) -> {
			Instant now = this.clock.instant();
			Optional<BatchRepository.Counts> counts = this.batches.complete(batch.id(), now);
			counts.ifPresent((c) -> this.events.publish(
					new BatchCompleted(batch.id(), c.successCount(), c.failureCount(), c.total(), eventId(), now)));
			return counts;
		});
		if (completed != null && completed.isPresent()) {
			BatchRepository.Counts counts = completed.get();
			logger.info("batch {}: completed, {}/{} started, {} failed", batch.id(), counts.successCount(),
					counts.total(), counts.failureCount());
		}
	}

	private void processItem(BatchRepository.LeasedBatch batch, BatchRepository.Item item, BatchTurns turns) {
		if (item.interrupted()) {
			fail(batch, item, OUTCOME_UNKNOWN);
			return;
		}
		ItemValidator.Result check = this.validator.validate(item.sourceGenerationId(), this.clock.instant());
		if (check.error() != null) {
			fail(batch, item, check.error());
			return;
		}
		Generation generation = check.generation();
		String sessionToken = check.cookies().sessionToken();
		Instant giveUpThrottledAt = null;
		while (true) {
			try {
				StartedUpscale started = this.transientRetry
					.invoke(() -> attemptStart(batch, item, generation, sessionToken, turns));
				succeed(batch, item, generation, started);
				return;
			}
			catch (FlowThrottledException ex) {
				Instant now = this.clock.instant();
				giveUpThrottledAt = (giveUpThrottledAt != null) ? giveUpThrottledAt
						: now.plus(this.properties.throttleGiveUpAfter());
				if (now.isAfter(giveUpThrottledAt)) {
					fail(batch, item, FAILED_PREFIX + ex.reason());
					return;
				}
				Duration pause = this.transactions.execute(
						(status) -> this.profiles.pause(generation.profileId(), ex.retryAfter(), ex.reason(), now));
				logger.warn("batch {}: profile {} throttled by Flow ({}); every worker pauses it for {}", batch.id(),
						generation.profileId(), ex.reason(), pause);
			}
			catch (FlowOutcomeUnknownException ex) {
				logger.warn("batch {}: item {} start unanswered: {}", batch.id(), item.index(), ex.getMessage());
				fail(batch, item, OUTCOME_UNKNOWN);
				return;
			}
			catch (FlowAlreadyExistsException ex) {
				fail(batch, item, FAILED_PREFIX + ex.reason()
						+ " (Flow already runs this scene but did not name its operation, so it cannot be tracked)");
				return;
			}
			catch (FlowException ex) {
				fail(batch, item, FAILED_PREFIX + ex.reason());
				return;
			}
		}
	}

	/**
	 * One start: wait for the batch's turn, take the profile's turn with the item marked
	 * {@code starting}, send. A start Flow certainly did not take (throttled,
	 * unavailable) puts the item back to {@code pending}. However the call ends, the
	 * profile's start in flight is settled right away, so the profile's next start (on
	 * any worker) can be timed from it.
	 */
	private StartedUpscale attemptStart(BatchRepository.LeasedBatch batch, BatchRepository.Item item,
			Generation generation, String sessionToken, BatchTurns turns) {
		this.flow.prepareSession(sessionToken);
		UpscaleStart start = new UpscaleStart(item.sceneId(), generation.mediaGenerationId(), item.model(),
				generation.flowProjectId(), null, this.recaptcha.token("VIDEO_GENERATION").orElse(null));
		try {
			return this.flow.startUpscale(sessionToken, start, new StartTiming() {

				@Override
				public void beforeSend() {
					takeTurn(batch, item, generation, turns);
				}

				@Override
				public void answered() {
					turns.answered(BatchProcessor.this.clock.instant());
				}

			});
		}
		catch (FlowException ex) {
			if (ex instanceof FlowThrottledException || ex instanceof FlowUnavailableException) {
				this.transactions.executeWithoutResult((status) -> {
					this.batches.fence(batch.id(), this.instance.id(), this.clock.instant());
					this.batches.markPending(batch.id(), item.index());
				});
			}
			throw ex;
		}
		finally {
			if (turns.takeProfileTurnHeld()) {
				Instant answeredAt = turns.answeredOr(this.clock.instant());
				this.transactions.executeWithoutResult((status) -> this.profiles.settle(generation.profileId(),
						batch.id(), turns.lastStartIfSent(), answeredAt));
			}
		}
	}

	/**
	 * Waits for the batch's turn, then takes the profile's turn with the item marked
	 * {@code starting}; runs right before the start leaves, so the turn is taken on the
	 * wire.
	 */
	private void takeTurn(BatchRepository.LeasedBatch batch, BatchRepository.Item item, Generation generation,
			BatchTurns turns) {
		while (true) {
			Instant turn = turns.next();
			sleepUntil(turn.minus(TURN_LEAD), batch.id());
			Instant now = this.clock.instant();
			Instant sendAt = turn.isAfter(now) ? turn : now;
			Instant profileTurn = this.transactions.execute((status) -> {
				this.batches.fence(batch.id(), this.instance.id(), now);
				Optional<Instant> later = this.profiles.takeTurn(generation.profileId(), batch.id(), this.instance.id(),
						sendAt, now);
				if (later.isPresent()) {
					return later.get();
				}
				this.batches.markStarting(batch.id(), item.index(), now);
				return null;
			});
			if (profileTurn == null) {
				if (this.profiles.spacesStarts()) {
					turns.profileTurnTaken();
				}
				sleepUntil(sendAt, batch.id());
				turns.started(this.clock.instant());
				return;
			}
			sleepUntil(profileTurn, batch.id());
		}
	}

	private void succeed(BatchRepository.LeasedBatch batch, BatchRepository.Item item, Generation generation,
			StartedUpscale started) {
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((status) -> {
			this.batches.fence(batch.id(), this.instance.id(), now);
			this.profiles.clearThrottle(generation.profileId());
			this.batches.markStarted(batch.id(), item, new BatchRepository.StartedItem(generation.profileId(),
					started.operationName(), generation.flowProjectId()), now);
			this.events
				.publish(ItemProgressed.succeeded(batch.id(), item.index(), batch.total(), item.sourceGenerationId(),
						item.upscaleId(), item.sceneId(), started.operationName(), eventId(), now));
			this.outbox.append(this.topics.operations(), item.upscaleId(),
					new UpscaleInitiated(item.upscaleId(), batch.id(), item.index(), item.sourceGenerationId(),
							generation.profileId(), item.sceneId(), started.operationName(), generation.flowProjectId(),
							item.model(), now));
		});
		this.meters.counter("upscale.batch.items", "outcome", "started", "reason", "none").increment();
		logProgress(batch);
	}

	private void fail(BatchRepository.LeasedBatch batch, BatchRepository.Item item, String error) {
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((status) -> {
			this.batches.fence(batch.id(), this.instance.id(), now);
			this.batches.markFailed(batch.id(), item.index(), error, now);
			this.events.publish(ItemProgressed.failed(batch.id(), item.index(), batch.total(),
					item.sourceGenerationId(), error, eventId(), now));
		});
		this.meters.counter("upscale.batch.items", "outcome", "failed", "reason", reasonTag(error)).increment();
		logProgress(batch);
	}

	private void logProgress(BatchRepository.LeasedBatch batch) {
		BatchRepository.Counts counts = this.batches.counts(batch.id());
		logger.info("batch {}: {}/{} started, {} failed", batch.id(), counts.successCount(), counts.total(),
				counts.failureCount());
	}

	/**
	 * Sleeps until the given instant to within tens of microseconds; the JDK's
	 * {@code Thread.sleep(millis, nanos)} rounds up to the next whole millisecond.
	 */
	private void sleepUntil(Instant until, String batchId) {
		Duration wait = Duration.between(this.clock.instant(), until);
		if (wait.isNegative() || wait.isZero()) {
			return;
		}
		Timer.Sample sample = Timer.start(this.meters);
		try {
			long nanos = wait.toNanos();
			while (nanos > 0) {
				LockSupport.parkNanos(nanos);
				if (Thread.interrupted()) {
					Thread.currentThread().interrupt();
					throw new LeaseLostException(batchId);
				}
				nanos = Duration.between(this.clock.instant(), until).toNanos();
			}
		}
		finally {
			sample.stop(this.pacingWait);
		}
	}

	private static String reasonTag(String error) {
		if (error.equals(OUTCOME_UNKNOWN)) {
			return "outcome_unknown";
		}
		if (error.startsWith(FAILED_PREFIX)) {
			String reason = error.substring(FAILED_PREFIX.length());
			int space = reason.indexOf(' ');
			return (space > 0) ? reason.substring(0, space) : reason;
		}
		return error;
	}

	private static String eventId() {
		return UUID.randomUUID().toString();
	}

	/**
	 * The turns of one batch: starts spaced by its delay, counted from the last start
	 * recorded, even when that start happened on another instance before a takeover. A
	 * start may still be on its way to Flow for a while after it is recorded (the pacing
	 * guard); once Flow has answered it, it certainly arrived, so the delay counts from
	 * the answer when that came sooner.
	 */
	private final class BatchTurns {

		private @Nullable Instant lastStart;

		private @Nullable Instant lastAnswer;

		private @Nullable Instant sentAt;

		private boolean profileTurnHeld;

		private final Duration delay;

		BatchTurns(@Nullable Instant lastStart, Duration delay) {
			this.lastStart = lastStart;
			this.delay = delay;
		}

		/**
		 * When the next start may leave: the delay after the moment the last one had
		 * certainly reached Flow.
		 */
		Instant next() {
			Instant now = BatchProcessor.this.clock.instant();
			if (this.lastStart == null || this.delay.isZero()) {
				return now;
			}
			Instant arrived = this.lastStart.plus(BatchProcessor.this.properties.pacingGuard());
			if (this.lastAnswer != null && this.lastAnswer.isBefore(arrived)) {
				arrived = this.lastAnswer;
			}
			Instant turn = arrived.plus(this.delay);
			return turn.isAfter(now) ? turn : now;
		}

		/**
		 * Records that this batch took its profile's turn, which {@link #started} and the
		 * answer then settle.
		 */
		void profileTurnTaken() {
			this.profileTurnHeld = true;
			this.sentAt = null;
		}

		/**
		 * Tells whether the profile's turn taken last is still to be settled, and forgets
		 * it.
		 */
		boolean takeProfileTurnHeld() {
			boolean held = this.profileTurnHeld;
			this.profileTurnHeld = false;
			return held;
		}

		/**
		 * When Flow answered the last start, or the given instant if it did not.
		 */
		Instant answeredOr(Instant now) {
			return (this.lastAnswer != null) ? this.lastAnswer : now;
		}

		/**
		 * When the start of the profile's turn left, null if it never did.
		 */
		@Nullable Instant lastStartIfSent() {
			return this.sentAt;
		}

		/**
		 * Records the moment a start left.
		 */
		void started(Instant sentAt) {
			this.lastStart = sentAt;
			this.sentAt = sentAt;
			this.lastAnswer = null;
		}

		/**
		 * Records the moment Flow's answer to the last start came back.
		 */
		void answered(Instant answeredAt) {
			if (this.lastStart != null && !answeredAt.isBefore(this.lastStart)) {
				this.lastAnswer = answeredAt;
			}
		}

	}

}
