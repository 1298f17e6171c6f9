package io.veoupscale.worker.batch;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.veoupscale.store.trace.TraceContexts;
import io.veoupscale.worker.WorkerInstance;
import io.veoupscale.worker.WorkerProperties;
import io.veoupscale.worker.batch.BatchLeases.LeasedBatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The worker's loop and its housekeeping, as db-scheduler splits them: on start, a pool
 * for the {@link BatchScheduler}'s timers and steps, and a housekeeping pool of its own
 * that claims free batches and renews leases, so that a slow claim or a busy pool never
 * delays a renewal. A batch this instance stored is claimed at once rather than at the
 * next claim interval (unless {@code claim-on-intake} is off). On stop, no turn is taken
 * any more, the starts in flight are sent and recorded, and the leases are given back so
 * that another instance resumes at once.
 */
@Component
class BatchWorkerLoop implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(BatchWorkerLoop.class);

	private final BatchLeases leases;

	private final BatchRepository batches;

	private final ItemValidator validator;

	private final ItemStarts starts;

	private final ItemOutcomes outcomes;

	private final WorkerProperties properties;

	private final WorkerInstance instance;

	private final Clock clock;

	private final MeterRegistry meters;

	private final AtomicBoolean claimRequested = new AtomicBoolean();

	private final Object claiming = new Object();

	private final TraceContexts traces;

	private volatile @Nullable Running running;

	BatchWorkerLoop(BatchLeases leases, BatchRepository batches, ItemValidator validator, ItemStarts starts,
			ItemOutcomes outcomes, WorkerProperties properties, WorkerInstance instance, Clock clock,
			MeterRegistry meters, TraceContexts traces) {
		this.traces = traces;
		this.leases = leases;
		this.batches = batches;
		this.validator = validator;
		this.starts = starts;
		this.outcomes = outcomes;
		this.properties = properties;
		this.instance = instance;
		this.clock = clock;
		this.meters = meters;
		gauge("upscale.batches.in.progress", "Batches this instance holds leases on", BatchScheduler::leasedCount);
		gauge("upscale.starts.waiting", "Items ready and waiting for their turn on this instance",
				BatchScheduler::waitingCount);
	}

	@Override
	public synchronized void start() {
		if (this.running != null) {
			return;
		}
		ThreadPoolTaskScheduler pool = pool("batch-", this.properties.startThreads());
		ThreadPoolTaskScheduler housekeeping = pool("batch-leases-", 2);
		BatchScheduler scheduler = new BatchScheduler(this.batches, this.leases, this.instance.id(), this.validator,
				this.starts, this.outcomes, this.properties, pool, this.clock, this.meters, this.traces);
		Running started = new Running(scheduler, pool, housekeeping);
		this.running = started;
		started.tasks()
			.add(housekeeping.scheduleWithFixedDelay(() -> claim(scheduler), this.properties.claimInterval()));
		started.tasks()
			.add(housekeeping.scheduleWithFixedDelay(() -> renew(scheduler), this.properties.heartbeatInterval()));
	}

	@Override
	public synchronized void stop() {
		Running stopping = this.running;
		if (stopping == null) {
			return;
		}
		stopping.tasks().get(0).cancel(false);
		try {
			Set<String> held = stopping.scheduler().drain(this.properties.stopTimeout());
			this.leases.release(this.instance.id(), held);
			logger.info("Worker {} stopped; {} lease(s) given back", this.instance.id(), held.size());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.warn("Leases not given back on stop ({}); they run out instead", ex.getMessage());
		}
		finally {
			stopping.housekeeping().shutdown();
			stopping.pool().shutdown();
			this.running = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

	/**
	 * Claims at once after a batch was stored here: a burst of stored batches asks for
	 * one claim at a time, which takes all of them that are free.
	 */
	@TransactionalEventListener
	void onStored(BatchIntake.BatchStored stored) {
		Running current = this.running;
		if (current == null || !this.properties.claimOnIntake() || !this.claimRequested.compareAndSet(false, true)) {
			return;
		}
		try {
			current.housekeeping().execute(() -> {
				this.claimRequested.set(false);
				claim(current.scheduler());
			});
		}
		catch (TaskRejectedException ex) {
			// Stopping: the batch is claimed by the next instance that runs.
			this.claimRequested.set(false);
		}
	}

	private void claim(BatchScheduler scheduler) {
		synchronized (this.claiming) {
			claimFree(scheduler);
		}
	}

	private void claimFree(BatchScheduler scheduler) {
		try {
			int room = scheduler.room();
			while (room > 0) {
				int wanted = Math.min(room, this.properties.claimSize());
				List<LeasedBatch> claimed = this.leases.claim(this.instance.id(), this.clock.instant(),
						this.properties.leaseDuration(), wanted, this.properties.maxLeasedBatchesPerProfile());
				claimed.forEach(scheduler::adopt);
				if (claimed.size() < wanted) {
					return;
				}
				room = scheduler.room();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Claiming batches failed; trying again in {}: {}", this.properties.claimInterval(),
					ex.getMessage());
		}
	}

	private void renew(BatchScheduler scheduler) {
		try {
			Set<String> held = scheduler.leasedIds();
			Set<String> renewed = this.leases.renew(this.instance.id(), held, this.clock.instant(),
					this.properties.leaseDuration());
			scheduler.lose(held.stream().filter((id) -> !renewed.contains(id)).collect(Collectors.toSet()));
		}
		catch (RuntimeException ex) {
			logger.warn("Renewing leases failed; trying again in {}: {}", this.properties.heartbeatInterval(),
					ex.getMessage());
		}
	}

	private void gauge(String name, String description, ToIntFunction<BatchScheduler> value) {
		Gauge.builder(name, this, (loop) -> {
			Running current = loop.running;
			return (current != null) ? value.applyAsInt(current.scheduler()) : 0;
		}).description(description).register(this.meters);
	}

	private static ThreadPoolTaskScheduler pool(String prefix, int size) {
		ThreadPoolTaskScheduler pool = new ThreadPoolTaskScheduler();
		pool.setPoolSize(size);
		pool.setThreadNamePrefix(prefix);
		pool.setRemoveOnCancelPolicy(true);
		pool.initialize();
		return pool;
	}

	private record Running(BatchScheduler scheduler, ThreadPoolTaskScheduler pool, ThreadPoolTaskScheduler housekeeping,
			List<ScheduledFuture<?>> tasks) {

		Running(BatchScheduler scheduler, ThreadPoolTaskScheduler pool, ThreadPoolTaskScheduler housekeeping) {
			this(scheduler, pool, housekeeping, new ArrayList<>());
		}

	}

}
