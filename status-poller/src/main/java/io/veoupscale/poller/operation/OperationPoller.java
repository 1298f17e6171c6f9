package io.veoupscale.poller.operation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.veoupscale.poller.PollerProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * The poll loop and its lifecycle, split the way db-scheduler splits its scheduler: this
 * class runs the loop and waits between polls; {@link PollCycle} claims and executes one
 * poll, {@link CheckSchedule} decides, {@link OutcomeWriter} writes, and housekeeping
 * runs on a thread of its own. The loop's threads come from the Spring-managed
 * {@code pollLoopExecutor}; a stopped poller can be started again.
 */
@Component
class OperationPoller implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(OperationPoller.class);

	private final PollCycle cycle;

	private final PollerProperties properties;

	private final AsyncTaskExecutor loops;

	private final ReentrantLock polling = new ReentrantLock();

	private final Object lifecycle = new Object();

	private @Nullable Run run;

	OperationPoller(PollCycle cycle, PollerProperties properties,
			@Qualifier("pollLoopExecutor") AsyncTaskExecutor loops) {
		this.cycle = cycle;
		this.properties = properties;
		this.loops = loops;
	}

	@Override
	public void start() {
		synchronized (this.lifecycle) {
			if (this.run == null) {
				Run started = new Run();
				this.loops.execute(() -> loop(started));
				this.run = started;
			}
		}
	}

	/**
	 * Stops polling before the database and Flow client go away: calls not yet made are
	 * dropped, nothing more is written (the leases held expire), and the poll in progress
	 * gets {@code stop-timeout} to leave.
	 */
	@Override
	public void stop() {
		Run stopped;
		synchronized (this.lifecycle) {
			stopped = this.run;
			this.run = null;
		}
		if (stopped != null && !stopped.stop(this.properties.stopTimeout())) {
			logger.warn("The poll in progress did not leave within {}; what it holds is checked again once its "
					+ "leases expire", this.properties.stopTimeout());
		}
	}

	@Override
	public boolean isRunning() {
		synchronized (this.lifecycle) {
			return this.run != null;
		}
	}

	private void loop(Run run) {
		try {
			while (!run.stopped()) {
				poll(run);
				run.await(this.properties.pollInterval());
			}
		}
		finally {
			run.ended();
		}
	}

	/**
	 * Polls once, and on until fewer than a full claim are due: a full claim means more
	 * are waiting, so the next poll starts at once rather than after the interval. Once a
	 * claim comes back full, several loops run at once so that one's database round trips
	 * overlap another's status calls; an instance with little due claims once per
	 * interval.
	 */
	private void poll(Run run) {
		if (!this.polling.tryLock()) {
			// A run stopped before this one has not left its last poll yet.
			return;
		}
		try {
			if (this.cycle.pollOnce(run::stopped) < this.properties.claimBatchSize()) {
				return;
			}
			List<Future<?>> extraLoops = new ArrayList<>();
			for (int i = 1; i < this.properties.pollLoops(); i++) {
				extraLoops.add(this.loops.submit(() -> drain(run)));
			}
			try {
				drain(run);
			}
			finally {
				for (Future<?> loop : extraLoops) {
					awaitLoop(loop, run);
				}
			}
		}
		catch (RuntimeException ex) {
			if (run.stopped()) {
				logger.info("Stopped mid-poll; the operations it held are checked again once their leases expire");
			}
			else {
				logger.error("A poll failed; the operations it held are checked again once their leases expire", ex);
			}
		}
		finally {
			this.polling.unlock();
		}
	}

	private void drain(Run run) {
		while (!run.stopped() && this.cycle.pollOnce(run::stopped) == this.properties.claimBatchSize()) {
			// next batch
		}
	}

	private static void awaitLoop(Future<?> loop, Run run) {
		try {
			loop.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			if (!run.stopped()) {
				logger.error("A poll loop failed; the operations it held are checked again once their leases expire",
						ex.getCause());
			}
		}
	}

	/**
	 * One start-to-stop of the loop: its stop signal, the wait between polls that a stop
	 * cuts short, and its end.
	 */
	private static final class Run {

		private final CountDownLatch ended = new CountDownLatch(1);

		private volatile boolean stopped;

		boolean stopped() {
			return this.stopped;
		}

		synchronized void await(Duration interval) {
			long until = System.nanoTime() + interval.toNanos();
			long remaining = interval.toNanos();
			while (!this.stopped && remaining > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.stopped = true;
					return;
				}
				remaining = until - System.nanoTime();
			}
		}

		void ended() {
			this.ended.countDown();
		}

		/**
		 * Signals the stop and waits for the loop to leave.
		 * @return whether it left in time
		 */
		boolean stop(Duration timeout) {
			synchronized (this) {
				this.stopped = true;
				notifyAll();
			}
			try {
				return this.ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

	}

}
