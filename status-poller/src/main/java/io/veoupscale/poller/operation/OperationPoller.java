package io.veoupscale.poller.operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.veoupscale.events.UpscaleFinished;
import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.FlowException;
import io.veoupscale.flow.FlowThrottledException;
import io.veoupscale.flow.MediaGenerationStatus;
import io.veoupscale.flow.MediaRef;
import io.veoupscale.flow.MediaStatus;
import io.veoupscale.poller.PollerProperties;
import io.veoupscale.store.InstanceIds;
import io.veoupscale.store.outbox.BatchEventPublisher;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.ProfileRepository;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims due operations, checks them per profile in batched status calls, and writes what
 * it learned: ends (with their events), next checks with back-off, and failures past the
 * deadline.
 */
@Component
class OperationPoller implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(OperationPoller.class);

	private final OperationRepository operations;

	private final ProfileRepository profiles;

	private final FlowClient flow;

	private final BatchEventPublisher events;

	private final TransactionTemplate transactions;

	private final PollerProperties properties;

	private final Clock clock;

	private final String owner;

	private final Counter checked;

	private final Counter leasesExpired;

	private final MeterRegistry meters;

	private final ExecutorService checkers;

	private final ExecutorService loops;

	private final ReentrantLock polling = new ReentrantLock();

	private volatile boolean started;

	private volatile boolean stopping;

	OperationPoller(OperationRepository operations, ProfileRepository profiles, FlowClient flow,
			BatchEventPublisher events, TransactionTemplate transactions, PollerProperties properties, Clock clock,
			MeterRegistry meters) {
		this.operations = operations;
		this.profiles = profiles;
		this.flow = flow;
		this.events = events;
		this.transactions = transactions;
		this.properties = properties;
		this.clock = clock;
		this.owner = InstanceIds.resolve(properties.instanceId());
		this.checked = Counter.builder("upscale.poller.checks")
			.description("Operations checked at Flow")
			.register(meters);
		this.leasesExpired = Counter.builder("upscale.poller.leases.expired")
			.description("Operations taken over from a poller whose lease ran out")
			.register(meters);
		this.meters = meters;
		AtomicInteger threads = new AtomicInteger();
		this.checkers = Executors.newFixedThreadPool(properties.checkConcurrency(), (task) -> {
			Thread thread = new Thread(task, "poller-check-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		AtomicInteger loopThreads = new AtomicInteger();
		this.loops = Executors.newFixedThreadPool(Math.max(1, properties.pollLoops() - 1), (task) -> {
			Thread thread = new Thread(task, "poller-loop-" + loopThreads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@Scheduled(fixedDelayString = "${upscale.poller.poll-interval:500ms}")
	void pollDueOperations() {
		if (this.stopping || !this.polling.tryLock()) {
			return;
		}
		try {
			if (pollOnce() < this.properties.claimBatchSize()) {
				return;
			}
			List<Future<?>> extraLoops = new ArrayList<>();
			for (int i = 1; i < this.properties.pollLoops(); i++) {
				extraLoops.add(this.loops.submit(this::drain));
			}
			try {
				drain();
			}
			finally {
				for (Future<?> loop : extraLoops) {
					awaitLoop(loop);
				}
			}
		}
		catch (RuntimeException ex) {
			if (!this.stopping) {
				throw ex;
			}
			logger.info("Stopped mid-poll; the operations it held are checked again once their leases expire");
		}
		finally {
			this.polling.unlock();
		}
	}

	private void awaitLoop(Future<?> loop) {
		try {
			loop.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			if (!this.stopping) {
				logger.error("A poll loop failed; the operations it held are checked again once their leases expire",
						ex.getCause());
			}
		}
	}

	/**
	 * Polls until fewer than a full claim are due: a full claim means more are waiting,
	 * so the next poll starts at once rather than after the interval. Once a claim comes
	 * back full, several loops run at once so that one's database round trips overlap
	 * another's status calls; an instance with little due claims once per interval.
	 */
	private void drain() {
		while (!this.stopping && pollOnce() == this.properties.claimBatchSize()) {
			// next batch
		}
	}

	/**
	 * Claims, checks and writes one batch of due operations.
	 * @return how many were claimed
	 */
	private int pollOnce() {
		List<OperationRepository.DueOperation> due = this.operations.claimDue(this.owner, this.clock.instant());
		if (due.isEmpty()) {
			return 0;
		}
		this.leasesExpired.increment(due.stream().filter(OperationRepository.DueOperation::leaseExpired).count());
		Outcomes outcomes = new Outcomes();
		Map<String, List<OperationRepository.DueOperation>> byProfile = due.stream()
			.collect(Collectors.groupingBy(OperationRepository.DueOperation::profileId, LinkedHashMap::new,
					Collectors.toList()));
		Map<String, FlowCookies> cookies = this.profiles.findCookies(byProfile.keySet());
		List<Callable<@Nullable Void>> checks = new ArrayList<>();
		byProfile.forEach((profileId, ofProfile) -> checks
			.addAll(checksOf(profileId, cookies.get(profileId), ofProfile, outcomes)));
		runAll(checks);
		write(outcomes);
		return due.size();
	}

	/**
	 * The status calls for one profile's due operations, one per chunk of
	 * {@code max-per-check}; a throttled call pauses the profile's calls not yet made.
	 */
	private List<Callable<@Nullable Void>> checksOf(String profileId, @Nullable FlowCookies cookies,
			List<OperationRepository.DueOperation> due, Outcomes outcomes) {
		if (cookies == null || !cookies.isActive(this.clock.instant())) {
			due.forEach((operation) -> outcomes.error(operation, "Profile has no active 'flow' cookies"));
			return List.of();
		}
		ProfileCheck profile = new ProfileCheck(profileId, cookies.sessionToken());
		List<Callable<@Nullable Void>> checks = new ArrayList<>();
		for (int from = 0; from < due.size(); from += this.properties.maxPerCheck()) {
			List<OperationRepository.DueOperation> chunk = due.subList(from,
					Math.min(due.size(), from + this.properties.maxPerCheck()));
			checks.add(() -> {
				check(profile, chunk, outcomes);
				return null;
			});
		}
		return checks;
	}

	private void runAll(List<Callable<@Nullable Void>> checks) {
		if (checks.size() == 1) {
			call(checks.get(0));
			return;
		}
		List<Future<@Nullable Void>> done;
		try {
			done = this.checkers.invokeAll(checks);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while checking operations", ex);
		}
		for (Future<@Nullable Void> check : done) {
			try {
				check.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while checking operations", ex);
			}
			catch (ExecutionException | CancellationException ex) {
				throw new IllegalStateException("Status checks did not complete; their leases will expire", ex);
			}
		}
	}

	private static void call(Callable<@Nullable Void> check) {
		try {
			check.call();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Status check failed; its leases will expire", ex);
		}
	}

	private void check(ProfileCheck profile, List<OperationRepository.DueOperation> chunk, Outcomes outcomes) {
		FlowThrottledException throttled = profile.throttled;
		if (throttled != null) {
			chunk.forEach((operation) -> outcomes.pause(operation, pauseOf(throttled), throttled.reason()));
			return;
		}
		try {
			List<MediaStatus> statuses = this.flow.checkStatus(profile.sessionToken,
					chunk.stream()
						.map((operation) -> new MediaRef(operation.operationName(), operation.flowProjectId(), null))
						.toList());
			this.checked.increment(chunk.size());
			Map<String, MediaStatus> byName = statuses.stream()
				.collect(Collectors.toMap(MediaStatus::name, Function.identity(), (a, b) -> a));
			for (OperationRepository.DueOperation operation : chunk) {
				apply(operation, byName.get(operation.operationName()), profile.sessionToken, outcomes);
			}
		}
		catch (FlowThrottledException ex) {
			profile.throttled = ex;
			chunk.forEach((operation) -> outcomes.pause(operation, pauseOf(ex), ex.reason()));
			logger.warn("profile {}: status checks throttled ({}); pausing {}", profile.profileId, ex.reason(),
					pauseOf(ex));
		}
		catch (FlowException ex) {
			chunk.forEach((operation) -> outcomes.error(operation, ex.reason()));
		}
	}

	private Duration pauseOf(FlowThrottledException ex) {
		return (ex.retryAfter() != null) ? ex.retryAfter() : this.properties.maxCheckInterval();
	}

	@Override
	public void start() {
		this.started = true;
	}

	/**
	 * Stops polling before the database and Flow client go away: calls not yet made are
	 * dropped, nothing more is written (the leases held expire), and the poll in progress
	 * gets a few seconds to leave.
	 */
	@Override
	public void stop() {
		this.stopping = true;
		this.loops.shutdown();
		for (Runnable queued : this.checkers.shutdownNow()) {
			if (queued instanceof Future<?> check) {
				check.cancel(false);
			}
		}
		try {
			if (this.polling.tryLock(10, TimeUnit.SECONDS)) {
				this.polling.unlock();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.started && !this.stopping;
	}

	private void apply(OperationRepository.DueOperation operation, @Nullable MediaStatus status, String sessionToken,
			Outcomes outcomes) {
		MediaGenerationStatus state = (status != null) ? status.status() : MediaGenerationStatus.UNKNOWN;
		if (state == MediaGenerationStatus.SUCCESSFUL) {
			Optional<String> url = Optional.ofNullable(status.videoUrl());
			if (url.isEmpty()) {
				try {
					url = this.flow.videoUrl(sessionToken, operation.operationName());
				}
				catch (FlowException ex) {
					outcomes.error(operation, ex.reason());
					return;
				}
			}
			if (url.isPresent()) {
				outcomes.finished(operation, UpscaleFinished.COMPLETED, url.get(), null);
			}
			else {
				outcomes.retrySoon(operation, this.properties.mediaUrlRetry());
			}
			return;
		}
		if (state == MediaGenerationStatus.FAILED || state == MediaGenerationStatus.CANCELLED) {
			String reasons = status.failureReasons().isEmpty() ? status.rawStatus()
					: String.join(", ", status.failureReasons());
			outcomes.finished(operation, UpscaleFinished.FAILED, null, "Upscale failed at Flow: " + reasons);
			return;
		}
		if (state == MediaGenerationStatus.ACTIVE) {
			outcomes.processing(operation);
		}
		outcomes.stillRunning(operation);
	}

	private void write(Outcomes outcomes) {
		if (this.stopping) {
			// A stopping poller writes nothing more: what it held is checked again once
			// its leases expire, the same path as a poller that died.
			return;
		}
		Instant now = this.clock.instant();
		List<OperationRepository.Finished> written = this.transactions.execute((status) -> {
			List<OperationRepository.Finished> ends = this.operations.finish(outcomes.finished, this.owner, now);
			for (OperationRepository.Finished end : ends) {
				OperationRepository.DueOperation operation = end.operation();
				this.events.publish(
						new UpscaleFinished(operation.batchId(), operation.upscaleId(), operation.sourceGenerationId(),
								end.status(), end.videoUrl(), end.error(), UUID.randomUUID().toString(), now));
				logger.info("upscale {}: {}", operation.upscaleId(), end.status());
			}
			this.operations.markProcessing(outcomes.processing, now);
			this.operations.reschedule(outcomes.rescheduled, this.owner);
			return ends;
		});
		for (OperationRepository.Finished end : (written != null) ? written : List.<OperationRepository.Finished>of()) {
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

	/**
	 * One profile's session and whether Flow throttled its checks during this poll.
	 */
	private static final class ProfileCheck {

		private final String profileId;

		private final String sessionToken;

		private volatile @Nullable FlowThrottledException throttled;

		ProfileCheck(String profileId, String sessionToken) {
			this.profileId = profileId;
			this.sessionToken = sessionToken;
		}

	}

	/**
	 * What one poll learned, written in one transaction; filled by concurrent checks.
	 */
	private final class Outcomes {

		private final List<OperationRepository.Finished> finished = new ArrayList<>();

		private final List<OperationRepository.Rescheduled> rescheduled = new ArrayList<>();

		private final List<String> processing = new ArrayList<>();

		synchronized void finished(OperationRepository.DueOperation operation, String status, @Nullable String videoUrl,
				@Nullable String error) {
			this.finished.add(new OperationRepository.Finished(operation, status, videoUrl, error));
		}

		synchronized void processing(OperationRepository.DueOperation operation) {
			this.processing.add(operation.upscaleId());
		}

		synchronized void stillRunning(OperationRepository.DueOperation operation) {
			next(operation, 0, null, null);
		}

		synchronized void retrySoon(OperationRepository.DueOperation operation, Duration wait) {
			next(operation, 0, null, wait);
		}

		synchronized void error(OperationRepository.DueOperation operation, String error) {
			next(operation, operation.consecutiveErrors() + 1, error, null);
		}

		synchronized void pause(OperationRepository.DueOperation operation, Duration pause, String reason) {
			next(operation, operation.consecutiveErrors(), "throttled: " + reason, pause);
		}

		private synchronized void next(OperationRepository.DueOperation operation, int errors, @Nullable String error,
				@Nullable Duration wait) {
			Instant now = OperationPoller.this.clock.instant();
			if (!now.isBefore(operation.deadline())) {
				Duration limit = OperationPoller.this.properties.deadline();
				finished(operation, UpscaleFinished.FAILED, null, "Upscale did not finish within " + limit.toMinutes()
						+ " minutes" + ((error != null) ? " (last error: " + error + ")" : ""));
				return;
			}
			int interval = operation.intervalMs();
			Duration delay = (wait != null) ? wait : Duration.ofMillis(interval);
			int nextInterval = (int) Math.min(OperationPoller.this.properties.maxCheckInterval().toMillis(),
					Math.round(interval * OperationPoller.this.properties.backoffMultiplier()));
			Instant next = now.plus(delay);
			if (next.isAfter(operation.deadline())) {
				next = operation.deadline();
			}
			this.rescheduled.add(new OperationRepository.Rescheduled(operation.upscaleId(), next,
					(wait != null) ? interval : nextInterval, errors, error));
		}

	}

}
