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
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims due operations, checks them per profile in batched status calls, and writes what
 * it learned: ends (with their events), next checks with back-off, and failures past the
 * deadline.
 */
@Component
class OperationPoller {

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
	}

	@Scheduled(fixedDelayString = "${upscale.poller.poll-interval:500ms}")
	void pollDueOperations() {
		List<OperationRepository.DueOperation> due = this.operations.claimDue(this.owner, this.clock.instant());
		if (due.isEmpty()) {
			return;
		}
		Outcomes outcomes = new Outcomes();
		Map<String, List<OperationRepository.DueOperation>> byProfile = due.stream()
			.collect(Collectors.groupingBy(OperationRepository.DueOperation::profileId, LinkedHashMap::new,
					Collectors.toList()));
		byProfile.forEach((profileId, ofProfile) -> checkProfile(profileId, ofProfile, outcomes));
		write(outcomes);
	}

	private void checkProfile(String profileId, List<OperationRepository.DueOperation> due, Outcomes outcomes) {
		Optional<FlowCookies> cookies = this.profiles.findCookies(profileId);
		if (cookies.isEmpty() || !cookies.get().isActive(this.clock.instant())) {
			due.forEach((operation) -> outcomes.error(operation, "Profile has no active 'flow' cookies"));
			return;
		}
		String sessionToken = cookies.get().sessionToken();
		for (int from = 0; from < due.size(); from += this.properties.maxPerCheck()) {
			List<OperationRepository.DueOperation> chunk = due.subList(from,
					Math.min(due.size(), from + this.properties.maxPerCheck()));
			try {
				List<MediaStatus> statuses = this.flow.checkStatus(sessionToken, chunk.stream()
					.map((operation) -> new MediaRef(operation.operationName(), operation.flowProjectId(), null))
					.toList());
				this.checked.increment(chunk.size());
				Map<String, MediaStatus> byName = statuses.stream()
					.collect(Collectors.toMap(MediaStatus::name, Function.identity(), (a, b) -> a));
				for (OperationRepository.DueOperation operation : chunk) {
					apply(operation, byName.get(operation.operationName()), sessionToken, outcomes);
				}
			}
			catch (FlowThrottledException ex) {
				Duration pause = (ex.retryAfter() != null) ? ex.retryAfter() : this.properties.maxCheckInterval();
				due.subList(from, due.size()).forEach((operation) -> outcomes.pause(operation, pause, ex.reason()));
				logger.warn("profile {}: status checks throttled ({}); pausing {}", profileId, ex.reason(), pause);
				return;
			}
			catch (FlowException ex) {
				chunk.forEach((operation) -> outcomes.error(operation, ex.reason()));
			}
		}
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
			outcomes.processing.add(operation.upscaleId());
		}
		outcomes.stillRunning(operation);
	}

	private void write(Outcomes outcomes) {
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((status) -> {
			List<OperationRepository.Finished> written = this.operations.finish(outcomes.finished, this.owner, now);
			for (OperationRepository.Finished end : written) {
				OperationRepository.DueOperation operation = end.operation();
				this.events.publish(
						new UpscaleFinished(operation.batchId(), operation.upscaleId(), operation.sourceGenerationId(),
								end.status(), end.videoUrl(), end.error(), UUID.randomUUID().toString(), now));
				logger.info("upscale {}: {}", operation.upscaleId(), end.status());
			}
			this.operations.markProcessing(outcomes.processing, now);
			this.operations.reschedule(outcomes.rescheduled, this.owner);
		});
	}

	/**
	 * What one poll learned, written in one transaction.
	 */
	private final class Outcomes {

		private final List<OperationRepository.Finished> finished = new ArrayList<>();

		private final List<OperationRepository.Rescheduled> rescheduled = new ArrayList<>();

		private final List<String> processing = new ArrayList<>();

		void finished(OperationRepository.DueOperation operation, String status, @Nullable String videoUrl,
				@Nullable String error) {
			this.finished.add(new OperationRepository.Finished(operation, status, videoUrl, error));
		}

		void stillRunning(OperationRepository.DueOperation operation) {
			next(operation, 0, null, null);
		}

		void retrySoon(OperationRepository.DueOperation operation, Duration wait) {
			next(operation, 0, null, wait);
		}

		void error(OperationRepository.DueOperation operation, String error) {
			next(operation, operation.consecutiveErrors() + 1, error, null);
		}

		void pause(OperationRepository.DueOperation operation, Duration pause, String reason) {
			next(operation, operation.consecutiveErrors(), "throttled: " + reason, pause);
		}

		private void next(OperationRepository.DueOperation operation, int errors, @Nullable String error,
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
