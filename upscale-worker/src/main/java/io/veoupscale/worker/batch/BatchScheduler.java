package io.veoupscale.worker.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.veoupscale.store.trace.TraceContexts;
import io.veoupscale.worker.WorkerProperties;
import io.veoupscale.worker.batch.BatchLeases.LeasedBatch;
import io.veoupscale.worker.batch.BatchRepository.Item;
import io.veoupscale.worker.batch.ItemStarts.Outcome;
import io.veoupscale.worker.batch.ItemStarts.TurnResult;
import io.veoupscale.worker.batch.ItemValidator.Ready;
import io.veoupscale.worker.batch.StartSchedule.Turn;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Moves every batch this instance leases through its steps, without a thread per batch. A
 * batch readies its next item (validation), waits in its profile's lane of the
 * {@link StartSchedule} until its turn, takes the turn in PostgreSQL a little ahead of
 * time, leaves on time, and records the outcome; then the next item. A timer per profile
 * lane wakes the next due turn, and a small pool runs the steps; nothing sleeps while a
 * batch waits. The bookkeeping is guarded by one lock, held only for in-memory decisions,
 * never across a call to PostgreSQL or Flow. This class is the scheduler's state machine,
 * which is why it is longer than most.
 */
final class BatchScheduler {

	private static final Logger logger = LoggerFactory.getLogger(BatchScheduler.class);

	private final BatchRepository batches;

	private final BatchLeases leases;

	private final String owner;

	private final ItemValidator validator;

	private final ItemStarts starts;

	private final ItemOutcomes outcomes;

	private final WorkerProperties properties;

	private final ThreadPoolTaskScheduler pool;

	private final Clock clock;

	private final Supplier<BackOffExecution> transientBackoffs;

	private final Timer pacingWait;

	private final Timer lateness;

	private final Object lock = new Object();

	private final Map<String, BatchWork> leased = new HashMap<>();

	private final StartSchedule schedule;

	private final Map<String, LaneTimer> laneTimers = new HashMap<>();

	private int startsInFlight;

	private boolean accepting = true;

	private final TraceContexts traces;

	private final MeterRegistry meters;

	/** Starts sent to Flow, by profile and what came of them. */
	static final String STARTS = "upscale.starts";

	BatchScheduler(BatchRepository batches, BatchLeases leases, String owner, ItemValidator validator,
			ItemStarts starts, ItemOutcomes outcomes, WorkerProperties properties, ThreadPoolTaskScheduler pool,
			Clock clock, MeterRegistry meters, TraceContexts traces) {
		this.traces = traces;
		this.meters = meters;
		this.batches = batches;
		this.leases = leases;
		this.owner = owner;
		this.validator = validator;
		this.starts = starts;
		this.outcomes = outcomes;
		this.properties = properties;
		this.pool = pool;
		this.clock = clock;
		this.schedule = new StartSchedule(properties.profileMinSpacing());
		ExponentialBackOff backoff = new ExponentialBackOff(properties.transientBackoff().toMillis(), 2.0);
		backoff.setMaxInterval(properties.maxTransientBackoff().toMillis());
		backoff.setMaxAttempts(properties.transientRetries());
		this.transientBackoffs = backoff::start;
		this.pacingWait = Timer.builder("upscale.pacing.wait")
			.description("Time an item waited, once ready, for its turn to start")
			.register(meters);
		this.lateness = Timer.builder("upscale.pacing.lateness")
			.description("How late a start left after the moment its turn set")
			.register(meters);
	}

	/**
	 * Takes a newly claimed batch into the schedule.
	 */
	void adopt(LeasedBatch claimed) {
		BatchWork work;
		synchronized (this.lock) {
			if (this.leased.containsKey(claimed.id())) {
				// Our lease ran out before a heartbeat renewed it and a claim took it
				// again: the batch is still worked here.
				logger.warn("batch {}: lease ran out while worked here; claimed again, work goes on", claimed.id());
				return;
			}
			work = new BatchWork(claimed);
			this.leased.put(claimed.id(), work);
		}
		logger.info("batch {}: leased", claimed.id());
		this.pool.execute(() -> advance(work));
	}

	/**
	 * Forgets batches whose leases were lost; a start of theirs in flight ends at its
	 * next write, which the lease fence refuses.
	 */
	void lose(Set<String> batchIds) {
		synchronized (this.lock) {
			for (String batchId : batchIds) {
				BatchWork work = this.leased.remove(batchId);
				if (work != null && !work.isDone()) {
					logger.warn("batch {}: lease lost; work on it stops", batchId);
					work.lose();
					unschedule(work);
				}
			}
			this.schedule.prune(this.clock.instant());
		}
	}

	/**
	 * The batches this instance holds.
	 */
	Set<String> leasedIds() {
		synchronized (this.lock) {
			return Set.copyOf(this.leased.keySet());
		}
	}

	/**
	 * How many more batches this instance takes: none while a turn's timer is overdue by
	 * more than the claim interval (the pool cannot keep up, and another instance may
	 * start those batches sooner).
	 */
	int room() {
		synchronized (this.lock) {
			if (!this.accepting) {
				return 0;
			}
			Instant overdue = this.clock.instant().minus(this.properties.claimInterval());
			for (LaneTimer timer : this.laneTimers.values()) {
				if (timer.at().isBefore(overdue)) {
					return 0;
				}
			}
			return this.properties.maxLeasedBatches() - this.leased.size();
		}
	}

	/**
	 * Stops taking turns, then waits until every start whose turn was taken has been sent
	 * and recorded, or the timeout passed.
	 * @return the batches held, to be given back
	 */
	Set<String> drain(Duration timeout) throws InterruptedException {
		synchronized (this.lock) {
			this.accepting = false;
			this.laneTimers.values().forEach((timer) -> timer.future().cancel(false));
			this.laneTimers.clear();
			long deadline = System.nanoTime() + timeout.toNanos();
			while (this.startsInFlight > 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					logger.warn("{} start(s) still in flight after {}; their outcome is left to the next owner",
							this.startsInFlight, timeout);
					break;
				}
				this.lock.wait(Math.max(1, left / 1_000_000));
			}
			Set<String> held = Set.copyOf(this.leased.keySet());
			this.leased.values().forEach(BatchWork::lose);
			this.leased.clear();
			return held;
		}
	}

	int leasedCount() {
		synchronized (this.lock) {
			return this.leased.size();
		}
	}

	int waitingCount() {
		synchronized (this.lock) {
			return this.schedule.waiting();
		}
	}

	/**
	 * Readies the batch's next item: failures of validation are recorded (in the batch's
	 * order of writes) and the next item looked at, a valid item waits for its turn; when
	 * no item is left the batch completes once its writes are done.
	 */
	private void advance(BatchWork work) {
		try (TraceContexts.Scope trace = this.traces.open(work.traceparent())) {
			while (isActive(work)) {
				Item item = work.nextItem((after, limit) -> this.batches.unfinishedItems(work.id(), after, limit));
				if (item == null) {
					work.markDone();
					record(work, () -> this.outcomes.completed(work), false).thenRun(() -> forget(work));
					return;
				}
				if (item.interrupted()) {
					record(work, () -> this.starts.resolveInterrupted(work, item), false);
					continue;
				}
				ItemValidator.Result check = this.validator.validate(item.sourceGenerationId(), this.clock.instant());
				Ready ready = check.ready();
				if (ready == null) {
					String error = String.valueOf(check.error());
					record(work, () -> this.outcomes.failed(work, item, error, null, null), false);
					continue;
				}
				work.ready(ready, this.clock.instant());
				this.starts.warmUp(ready);
				synchronized (this.lock) {
					offer(work);
				}
				return;
			}
		}
		catch (LeaseLostException ex) {
			lose(work, ex);
		}
		catch (RuntimeException ex) {
			stopUnexpectedly(work, ex);
		}
	}

	/**
	 * Stops working on a batch whose lease was lost or that an operator paused or
	 * cancelled; a held batch's lease is given back once its writes are done, so that a
	 * resumed batch is claimed again at once.
	 */
	private void lose(BatchWork work, LeaseLostException ex) {
		if (!(ex instanceof BatchHeldException)) {
			lose(Set.of(work.id()));
			return;
		}
		logger.info("batch {}: {}; its starts stop here", work.id(), ex.getMessage());
		synchronized (this.lock) {
			this.leased.remove(work.id(), work);
			work.lose();
			unschedule(work);
		}
		work.afterRecords(() -> {
			try {
				this.leases.release(this.owner, Set.of(work.id()));
			}
			catch (RuntimeException failure) {
				logger.warn("batch {}: lease not given back ({}); it runs out instead", work.id(),
						failure.getMessage());
			}
		}, this.pool);
	}

	/**
	 * Runs a write of the batch after its earlier ones; a write that finds the lease lost
	 * stops the batch, and so does an unexpected error.
	 * @param endsTurn whether the write ends a turn counted in flight
	 */
	private CompletableFuture<@Nullable Void> record(BatchWork work, Runnable write, boolean endsTurn) {
		Runnable traced = () -> {
			try (TraceContexts.Scope trace = this.traces.open(work.traceparent())) {
				write.run();
			}
		};
		return work.thenRecord(traced, this.pool).whenComplete((done, failure) -> {
			if (endsTurn) {
				synchronized (this.lock) {
					this.startsInFlight--;
					if (this.startsInFlight == 0) {
						this.lock.notifyAll();
					}
				}
			}
			Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
			if (cause != null && !work.isLost()) {
				if (cause instanceof LeaseLostException lost) {
					lose(work, lost);
				}
				else {
					stopUnexpectedly(work,
							(cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(cause));
				}
			}
		});
	}

	/**
	 * Puts the batch's ready item in its profile's lane. Called under the lock.
	 */
	private void offer(BatchWork work) {
		if (!this.accepting || work.isLost()) {
			return;
		}
		String profileId = work.readyItem().profileId();
		this.schedule.offer(profileId, work.id(), work.receivedAt(), work.dueAt(this.clock.instant()));
		arm(profileId);
	}

	/**
	 * Sets the profile lane's timer to its next turn, less the turn lead, unless an
	 * earlier wake-up is set already. Called under the lock.
	 */
	private void arm(String profileId) {
		Instant turnAt = this.accepting ? this.schedule.nextTurnAt(profileId) : null;
		if (turnAt == null) {
			return;
		}
		Instant wakeAt = turnAt.minus(this.properties.turnLead());
		LaneTimer timer = this.laneTimers.get(profileId);
		if (timer != null) {
			if (!timer.at().isAfter(wakeAt)) {
				return;
			}
			timer.future().cancel(false);
		}
		this.laneTimers.put(profileId,
				new LaneTimer(wakeAt, this.pool.schedule(() -> wake(profileId, wakeAt), wakeAt)));
	}

	/**
	 * A profile lane's timer went off: takes the turns that have come.
	 */
	private void wake(String profileId, Instant wakeAt) {
		List<Turn> turns;
		synchronized (this.lock) {
			LaneTimer timer = this.laneTimers.get(profileId);
			if (timer != null && timer.at().equals(wakeAt)) {
				this.laneTimers.remove(profileId);
			}
			if (!this.accepting) {
				return;
			}
			Instant now = this.clock.instant();
			turns = this.schedule.take(profileId, now.plus(this.properties.turnLead()));
			this.startsInFlight += turns.size();
			arm(profileId);
		}
		for (int i = 0; i < turns.size(); i++) {
			Turn turn = turns.get(i);
			if (i < turns.size() - 1) {
				this.pool.execute(() -> takeTurn(turn));
			}
			else {
				takeTurn(turn);
			}
		}
	}

	/**
	 * Takes the turn in PostgreSQL, then sends at its time; or puts the batch back to
	 * wait when PostgreSQL says the profile is not free.
	 */
	private void takeTurn(Turn turn) {
		BatchWork work = leasedWork(turn.batchId());
		if (work == null) {
			endTurn(turn, null, null);
			return;
		}
		try (TraceContexts.Scope trace = this.traces.open(work.traceparent())) {
			Ready ready = work.readyItem();
			TurnResult result = this.starts.takeTurn(work.id(), work.item(), ready, turn.sendAt());
			if (result instanceof TurnResult.Taken taken) {
				if (turn.sendAt().isAfter(this.clock.instant())) {
					this.pool.schedule(() -> {
						try (TraceContexts.Scope later = this.traces.open(work.traceparent())) {
							send(work, turn, taken);
						}
					}, turn.sendAt());
				}
				else {
					send(work, turn, taken);
				}
			}
			else if (result instanceof TurnResult.Later later) {
				synchronized (this.lock) {
					this.schedule.released(turn.profileId());
					this.schedule.holdUntil(turn.profileId(), later.askAgainAt());
					endTurnLocked(turn, work);
				}
			}
			else if (result instanceof TurnResult.NotSent notSent) {
				conclude(work, turn, notSent.outcome(), false);
			}
		}
		catch (LeaseLostException ex) {
			endTurn(turn, null, null);
			lose(work, ex);
		}
		catch (RuntimeException ex) {
			endTurn(turn, null, null);
			stopUnexpectedly(work, ex);
		}
	}

	private static String outcomeTag(Outcome outcome) {
		if (outcome instanceof Outcome.Started) {
			return "started";
		}
		if (outcome instanceof Outcome.Throttled) {
			return "throttled";
		}
		return (outcome instanceof Outcome.Unavailable) ? "unavailable" : "failed";
	}

	private void send(BatchWork work, Turn turn, TurnResult.Taken taken) {
		Instant now = this.clock.instant();
		if (!now.isBefore(taken.leasedUntil())) {
			// Too late for the lease the turn read: another instance may own the batch
			// by now, and it will find the item marked starting.
			endTurn(turn, null, null);
			lose(Set.of(work.id()));
			return;
		}
		this.lateness.record(Duration.between(turn.sendAt(), now).isNegative() ? Duration.ZERO
				: Duration.between(turn.sendAt(), now));
		this.pacingWait.record(Duration.between(work.readySince(now), now));
		Outcome outcome;
		try {
			outcome = this.starts.send(work.readyItem(), taken);
		}
		catch (RuntimeException ex) {
			endTurn(turn, null, null);
			stopUnexpectedly(work, ex);
			return;
		}
		this.meters.counter(STARTS, "profile", turn.profileId(), "outcome", outcomeTag(outcome)).increment();
		conclude(work, turn, outcome, true);
	}

	/**
	 * Acts on what came of a turn. An item that ended (started, or failed for good) frees
	 * the profile's lane at once, is recorded in the batch's order of writes, and the
	 * batch moves on to its next item meanwhile; an item to retry is put back to
	 * {@code pending} first, then waits again.
	 * @param turnHeld whether the profile's turn was taken in PostgreSQL
	 */
	private void conclude(BatchWork work, Turn turn, Outcome outcome, boolean turnHeld) {
		String profileId = turn.profileId();
		String held = turnHeld ? profileId : null;
		Instant answeredAt = (outcome.call() != null) ? outcome.call().answeredAt() : null;
		Item item = work.item();
		Ready ready = work.readyItem();
		Runnable write;
		if (outcome instanceof Outcome.Started started) {
			write = () -> this.outcomes.started(work, item, ready, started);
		}
		else if (outcome instanceof Outcome.Failed failed) {
			write = () -> this.outcomes.failed(work, item, failed.error(), held, failed.call());
		}
		else if (outcome instanceof Outcome.Unavailable unavailable
				&& !work.retryLater(this.transientBackoffs, this.clock.instant())) {
			write = () -> this.outcomes.failed(work, item, ItemStarts.FAILED_PREFIX + unavailable.reason(), held,
					unavailable.call());
		}
		else if (outcome instanceof Outcome.Throttled throttled
				&& work.throttledPast(this.properties.throttleGiveUpAfter(), this.clock.instant())) {
			write = () -> this.outcomes.failed(work, item, ItemStarts.FAILED_PREFIX + throttled.reason(), held,
					throttled.call());
		}
		else {
			retry(work, turn, outcome, turnHeld);
			return;
		}
		if (answeredAt != null) {
			work.settled(answeredAt);
		}
		synchronized (this.lock) {
			freeLane(turn, answeredAt);
		}
		record(work, write, true);
		advance(work);
	}

	/**
	 * Puts an item whose start Flow certainly did not take back to {@code pending}, holds
	 * its profile after a throttle, and lets the item wait for its turn again.
	 */
	private void retry(BatchWork work, Turn turn, Outcome outcome, boolean turnHeld) {
		Instant answeredAt = (outcome.call() != null) ? outcome.call().answeredAt() : null;
		Instant holdUntil = null;
		try {
			if (outcome instanceof Outcome.Throttled throttled) {
				holdUntil = this.outcomes.throttled(work, turn.profileId(), throttled.reason(), throttled.retryAfter(),
						throttled.call());
			}
			else if (turnHeld) {
				this.outcomes.retrying(work, turn.profileId(), outcome.call());
			}
		}
		catch (LeaseLostException ex) {
			endTurn(turn, answeredAt, null);
			lose(work, ex);
			return;
		}
		catch (RuntimeException ex) {
			endTurn(turn, answeredAt, null);
			stopUnexpectedly(work, ex);
			return;
		}
		if (answeredAt != null) {
			work.settled(answeredAt);
		}
		synchronized (this.lock) {
			if (holdUntil != null) {
				this.schedule.holdUntil(turn.profileId(), holdUntil);
			}
		}
		endTurn(turn, answeredAt, work);
	}

	/**
	 * Frees the profile's lane after a turn and counts the turn as over.
	 * @param answeredAt when Flow answered the turn's start, or null if none was sent
	 * @param waitAgain a batch to put back in its lane, or null
	 */
	private void endTurn(Turn turn, @Nullable Instant answeredAt, @Nullable BatchWork waitAgain) {
		synchronized (this.lock) {
			freeLane(turn, answeredAt);
			endTurnLocked(turn, waitAgain);
		}
	}

	/**
	 * Frees the profile's lane: its next start is timed from this answer, or from none
	 * when nothing was sent. Called under the lock.
	 */
	private void freeLane(Turn turn, @Nullable Instant answeredAt) {
		if (answeredAt != null) {
			this.schedule.settled(turn.profileId(), answeredAt);
		}
		else {
			this.schedule.released(turn.profileId());
		}
		arm(turn.profileId());
	}

	private void endTurnLocked(Turn turn, @Nullable BatchWork waitAgain) {
		this.startsInFlight--;
		if (this.startsInFlight == 0) {
			this.lock.notifyAll();
		}
		if (waitAgain != null) {
			offer(waitAgain);
		}
		arm(turn.profileId());
	}

	private @Nullable BatchWork leasedWork(String batchId) {
		synchronized (this.lock) {
			BatchWork work = this.leased.get(batchId);
			return (work != null && !work.isLost()) ? work : null;
		}
	}

	private boolean isActive(BatchWork work) {
		synchronized (this.lock) {
			return this.accepting && !work.isLost();
		}
	}

	private void forget(BatchWork work) {
		synchronized (this.lock) {
			this.leased.remove(work.id(), work);
		}
	}

	/**
	 * Takes a batch's waiting start out of its lane. Called under the lock.
	 */
	private void unschedule(BatchWork work) {
		Ready ready = work.readyOrNull();
		if (ready != null) {
			this.schedule.remove(ready.profileId(), work.id(), work.receivedAt());
		}
	}

	private void stopUnexpectedly(BatchWork work, RuntimeException ex) {
		logger.error("batch {}: stopped by an unexpected error; its lease is given back so that a claim resumes it",
				work.id(), ex);
		synchronized (this.lock) {
			this.leased.remove(work.id(), work);
			work.lose();
			unschedule(work);
		}
		try {
			this.leases.release(this.owner, Set.of(work.id()));
		}
		catch (RuntimeException releaseFailure) {
			logger.warn("batch {}: lease not given back ({}); it runs out instead", work.id(),
					releaseFailure.getMessage());
		}
	}

	private record LaneTimer(Instant at, ScheduledFuture<?> future) {
	}

}
