package io.veoupscale.worker.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.FlowException;
import io.veoupscale.flow.FlowOutcomeUnknownException;
import io.veoupscale.flow.FlowThrottledException;
import io.veoupscale.flow.FlowUnavailableException;
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
 * Works one leased batch item by item. State is written before and after each upstream
 * call, each write with its events and behind the lease fence, so a restarted or
 * different worker resumes at the first unfinished item and never starts an item twice.
 */
@Service
class BatchProcessor {

	private static final Logger logger = LoggerFactory.getLogger(BatchProcessor.class);

	static final String FAILED_PREFIX = "Upscale request failed: ";

	private final BatchRepository batches;

	private final ItemValidator validator;

	private final FlowClient flow;

	private final Outbox outbox;

	private final BatchEventPublisher events;

	private final TopicProperties topics;

	private final TransactionTemplate transactions;

	private final WorkerInstance instance;

	private final Clock clock;

	private final RetryTemplate transientRetry;

	private final MeterRegistry meters;

	private final Timer pacingWait;

	BatchProcessor(BatchRepository batches, ItemValidator validator, FlowClient flow, Outbox outbox,
			BatchEventPublisher events, TopicProperties topics, TransactionTemplate transactions,
			WorkerInstance instance, WorkerProperties properties, Clock clock, MeterRegistry meters) {
		this.batches = batches;
		this.validator = validator;
		this.flow = flow;
		this.outbox = outbox;
		this.events = events;
		this.topics = topics;
		this.transactions = transactions;
		this.instance = instance;
		this.clock = clock;
		this.meters = meters;
		this.transientRetry = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(properties.transientRetries())
			.delay(properties.transientBackoff())
			.multiplier(2)
			.maxDelay(properties.maxTransientBackoff())
			.includes(FlowUnavailableException.class, FlowThrottledException.class)
			.build());
		this.pacingWait = Timer.builder("upscale.pacing.wait")
			.description("Time spent waiting for an item's turn to start")
			.register(meters);
	}

	void process(BatchRepository.LeasedBatch batch) {
		Pacer pacer = new Pacer(batch.id(), batch.lastStartAt(), Duration.ofMillis(batch.delayMs()));
		for (BatchRepository.Item item : this.batches.unfinishedItems(batch.id())) {
			if (Thread.currentThread().isInterrupted()) {
				throw new LeaseLostException(batch.id());
			}
			processItem(batch, item, pacer);
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

	private void processItem(BatchRepository.LeasedBatch batch, BatchRepository.Item item, Pacer pacer) {
		if (item.interrupted()) {
			fail(batch, item, FAILED_PREFIX
					+ "outcome unknown (the worker stopped during the start call); not resubmitted to avoid a duplicate");
			return;
		}
		ItemValidator.Result check = this.validator.validate(item.sourceGenerationId(), this.clock.instant());
		if (check.error() != null) {
			fail(batch, item, check.error());
			return;
		}
		Generation generation = check.generation();
		String sessionToken = check.cookies().sessionToken();
		UpscaleStart start = new UpscaleStart(item.sceneId(), generation.mediaGenerationId(), item.model(),
				generation.flowProjectId(), null, null);
		try {
			StartedUpscale started = this.transientRetry.invoke(() -> {
				this.flow.prepareSession(sessionToken);
				pacer.awaitTurn();
				this.transactions.executeWithoutResult((status) -> {
					Instant now = this.clock.instant();
					this.batches.fence(batch.id(), this.instance.id(), now);
					this.batches.markStarting(batch.id(), item.index(), now);
				});
				pacer.started();
				return this.flow.startUpscale(sessionToken, start);
			});
			succeed(batch, item, generation, started);
		}
		catch (FlowOutcomeUnknownException ex) {
			fail(batch, item, FAILED_PREFIX + "outcome unknown (" + ex.getMessage() + "); not resubmitted");
		}
		catch (FlowException ex) {
			fail(batch, item, FAILED_PREFIX + ex.reason());
		}
	}

	private void succeed(BatchRepository.LeasedBatch batch, BatchRepository.Item item, Generation generation,
			StartedUpscale started) {
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((status) -> {
			this.batches.fence(batch.id(), this.instance.id(), now);
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

	private static String reasonTag(String error) {
		if (error.startsWith(FAILED_PREFIX)) {
			String reason = error.substring(FAILED_PREFIX.length());
			return reason.startsWith("outcome unknown") ? "outcome_unknown" : reason;
		}
		return error;
	}

	private static String eventId() {
		return UUID.randomUUID().toString();
	}

	/**
	 * Spaces the starts of one batch by its delay, counting from the last start recorded
	 * even when that start happened on another instance.
	 */
	private final class Pacer {

		private final String batchId;

		private @Nullable Instant lastStart;

		private final Duration delay;

		Pacer(String batchId, @Nullable Instant lastStart, Duration delay) {
			this.batchId = batchId;
			this.lastStart = lastStart;
			this.delay = delay;
		}

		void awaitTurn() {
			if (this.lastStart == null) {
				return;
			}
			Instant turn = this.lastStart.plus(this.delay);
			Duration wait = Duration.between(BatchProcessor.this.clock.instant(), turn);
			if (wait.isNegative() || wait.isZero()) {
				return;
			}
			Timer.Sample sample = Timer.start(BatchProcessor.this.meters);
			try {
				Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LeaseLostException(this.batchId);
			}
			finally {
				sample.stop(BatchProcessor.this.pacingWait);
			}
		}

		void started() {
			this.lastStart = BatchProcessor.this.clock.instant();
		}

	}

}
