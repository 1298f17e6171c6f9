package io.veoupscale.worker.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.veoupscale.worker.batch.BatchLeases.LeasedBatch;
import io.veoupscale.worker.batch.BatchRepository.Item;
import io.veoupscale.worker.batch.ItemValidator.Ready;
import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOffExecution;

/**
 * One leased batch in this instance's memory: where it stands and when its next start may
 * leave. A batch takes one step at a time (ready its next item, take its turn, send,
 * record), each on whichever pool thread runs it, handed from step to step through the
 * executor; only {@link #lost} is written from elsewhere.
 */
final class BatchWork {

	/** Items read from PostgreSQL at a time. */
	static final int PAGE = 32;

	private final LeasedBatch batch;

	private final Deque<Item> page = new ArrayDeque<>();

	private int lastIndexRead;

	private boolean allRead;

	private @Nullable Item item;

	private @Nullable Ready ready;

	private @Nullable Instant readySince;

	private @Nullable Instant previousSettledAt;

	private @Nullable Instant retryAt;

	private @Nullable BackOffExecution transientBackoff;

	private @Nullable Instant firstThrottledAt;

	private volatile boolean lost;

	private volatile boolean done;

	private volatile CompletableFuture<@Nullable Void> records = CompletableFuture.completedFuture(null);

	BatchWork(LeasedBatch batch) {
		this.batch = batch;
		this.previousSettledAt = BatchPacing.previousSettledAt(batch.interrupted(), batch.lastAnswerAt(),
				batch.claimedAt());
	}

	String id() {
		return this.batch.id();
	}

	int total() {
		return this.batch.total();
	}

	Instant receivedAt() {
		return this.batch.receivedAt();
	}

	/**
	 * The trace context the batch was taken in with, in which its steps run.
	 */
	@Nullable String traceparent() {
		return this.batch.traceparent();
	}

	/**
	 * Moves on to the batch's next unfinished item.
	 * @param reader reads the next page of unfinished items after a given index
	 * @return the item, or null when every item ended
	 */
	@Nullable Item nextItem(PageReader reader) {
		clearItem();
		if (this.page.isEmpty() && !this.allRead) {
			List<Item> items = reader.read(this.lastIndexRead, PAGE);
			this.page.addAll(items);
			this.allRead = items.size() < PAGE;
			if (!items.isEmpty()) {
				this.lastIndexRead = items.get(items.size() - 1).index();
			}
		}
		this.item = this.page.poll();
		return this.item;
	}

	/**
	 * The item being worked.
	 */
	Item item() {
		if (this.item == null) {
			throw new IllegalStateException("Batch " + id() + " has no current item");
		}
		return this.item;
	}

	/**
	 * Records that the current item passed validation and waits for its turn.
	 */
	void ready(Ready ready, Instant now) {
		this.ready = ready;
		this.readySince = now;
	}

	Ready readyItem() {
		if (this.ready == null) {
			throw new IllegalStateException("Batch " + id() + " has no item ready");
		}
		return this.ready;
	}

	/**
	 * The current item's readiness, or null if it is not ready (yet).
	 */
	@Nullable Ready readyOrNull() {
		return this.ready;
	}

	/**
	 * When the current item became ready, for the time it waited for its turn.
	 */
	Instant readySince(Instant fallback) {
		return (this.readySince != null) ? this.readySince : fallback;
	}

	/**
	 * When the current item may leave: the batch's delay after its previous start was
	 * answered, and not before a transient failure's retry is due.
	 */
	Instant dueAt(Instant now) {
		Instant due = BatchPacing.nextStartAt(this.previousSettledAt, Duration.ofMillis(this.batch.delayMs()), now);
		return (this.retryAt != null && this.retryAt.isAfter(due)) ? this.retryAt : due;
	}

	/**
	 * Records that a start of this batch is no longer on its way: Flow answered it, or
	 * the call ended.
	 */
	void settled(Instant at) {
		this.previousSettledAt = at;
	}

	/**
	 * Schedules a retry of the current item after a transient failure.
	 * @param backoffs starts the back-off of this item on its first failure
	 * @return false when the retries are used up
	 */
	boolean retryLater(Supplier<BackOffExecution> backoffs, Instant now) {
		if (this.transientBackoff == null) {
			this.transientBackoff = backoffs.get();
		}
		long wait = this.transientBackoff.nextBackOff();
		if (wait == BackOffExecution.STOP) {
			return false;
		}
		this.retryAt = now.plusMillis(wait);
		return true;
	}

	/**
	 * Records a throttle met by the current item.
	 * @return whether the item has met throttles for longer than the given limit
	 */
	boolean throttledPast(Duration giveUpAfter, Instant now) {
		if (this.firstThrottledAt == null) {
			this.firstThrottledAt = now;
		}
		return now.isAfter(this.firstThrottledAt.plus(giveUpAfter));
	}

	/**
	 * Runs a write of this batch after its earlier ones, so that its events keep their
	 * order while the batch moves on; a failed write stops the writes after it.
	 * @return the write's completion
	 */
	CompletableFuture<@Nullable Void> thenRecord(Runnable write, Executor executor) {
		this.records = this.records.thenRunAsync(write, executor);
		return this.records;
	}

	/**
	 * Runs a task once the batch's writes so far are done, whether they succeeded or not.
	 */
	void afterRecords(Runnable task, Executor executor) {
		this.records.handleAsync((done, failure) -> {
			task.run();
			return null;
		}, executor);
	}

	/**
	 * Records that every item ended: what is left is the batch's completion.
	 */
	void markDone() {
		this.done = true;
	}

	boolean isDone() {
		return this.done;
	}

	boolean isLost() {
		return this.lost;
	}

	/**
	 * Marks the batch's lease as lost: its steps stop at the next one.
	 */
	void lose() {
		this.lost = true;
	}

	private void clearItem() {
		this.item = null;
		this.ready = null;
		this.readySince = null;
		this.retryAt = null;
		this.transientBackoff = null;
		this.firstThrottledAt = null;
	}

	/**
	 * Reads a page of a batch's unfinished items.
	 */
	@FunctionalInterface
	interface PageReader {

		List<Item> read(int afterIndex, int limit);

	}

}
