package io.veoupscale.poller.operation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.FlowException;
import io.veoupscale.flow.FlowThrottledException;
import io.veoupscale.flow.MediaRef;
import io.veoupscale.flow.MediaStatus;
import io.veoupscale.flow.StatusReport;
import io.veoupscale.poller.operation.OperationRepository.DueOperation;
import io.veoupscale.poller.operation.StatusCallPlan.ProfileSession;
import io.veoupscale.poller.operation.StatusCallPlan.StatusCall;
import io.veoupscale.store.trace.TraceContexts;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Makes one status call at Flow and says what it learned about each of its operations,
 * resolving the video URL of those that completed without one. Decides nothing.
 */
@Component
class StatusChecker {

	private static final Logger logger = LoggerFactory.getLogger(StatusChecker.class);

	/**
	 * The failure recorded for an upscale cancelled at Flow because its batch was
	 * cancelled.
	 */
	static final String CANCELLED_UPSTREAM = "cancelled because its batch was cancelled (flowMedia:cancelGeneration)";

	private final FlowClient flow;

	private final CheckSchedule schedule;

	private final Counter checked;

	private final TraceContexts traces;

	StatusChecker(FlowClient flow, CheckSchedule schedule, MeterRegistry meters, TraceContexts traces) {
		this.traces = traces;
		this.flow = flow;
		this.schedule = schedule;
		this.checked = Counter.builder("upscale.poller.checks")
			.description("Operations checked at Flow")
			.register(meters);
	}

	/**
	 * Checks the call's operations, unless Flow throttled their profile earlier in this
	 * poll. The call joins the trace of its first operation (one call checks several
	 * upscales of a profile; each one's outcome joins its own trace when it is written).
	 * @param call the status call
	 * @return what was learned of each operation, in the call's order, and the account's
	 * credits if Flow reported them
	 */
	Checked check(StatusCall call) {
		try (TraceContexts.Scope trace = this.traces.open(call.operations().get(0).traceparent())) {
			return checkInTrace(call);
		}
	}

	private Checked checkInTrace(StatusCall call) {
		ProfileSession session = call.session();
		List<DueOperation> operations = call.operations();
		FlowThrottledException throttled = session.throttled();
		if (throttled != null) {
			return new Checked(Collections.nCopies(operations.size(), throttledResult(throttled)), null);
		}
		Map<String, CheckResult> cancelled = cancelUpstream(session, operations);
		try {
			StatusReport report = this.flow.checkStatus(session.sessionToken(),
					operations.stream()
						.map((operation) -> new MediaRef(operation.operationName(), operation.flowProjectId(), null))
						.toList());
			this.checked.increment(operations.size());
			Map<String, MediaStatus> byName = report.media()
				.stream()
				.collect(Collectors.toMap(MediaStatus::name, Function.identity(), (a, b) -> a));
			List<CheckResult> results = new ArrayList<>(operations.size());
			for (DueOperation operation : operations) {
				CheckResult result = cancelled.get(operation.upscaleId());
				results.add((result != null) ? result
						: resultOf(operation, byName.get(operation.operationName()), session.sessionToken()));
			}
			return new Checked(results, report.remainingCredits());
		}
		catch (FlowThrottledException ex) {
			session.throttled(ex);
			logger.warn("profile {}: status checks throttled ({}); pausing {}", session.profileId(), ex.reason(),
					this.schedule.pauseAfterThrottle(ex.retryAfter()));
			return new Checked(Collections.nCopies(operations.size(), throttledResult(ex)), null);
		}
		catch (FlowException ex) {
			return new Checked(Collections.nCopies(operations.size(), CheckResult.error(ex.reason())), null);
		}
	}

	/**
	 * Asks Flow to cancel the generations of cancelled batches (cancelled with
	 * {@code upstream=true}); each one Flow cancelled is recorded as failed with the
	 * reason. One Flow will not cancel (it has ended) is checked as usual, and a failed
	 * call is tried again at the next check.
	 * @return the results of the operations cancelled, by upscale id
	 */
	private Map<String, CheckResult> cancelUpstream(ProfileSession session, List<DueOperation> operations) {
		Map<String, CheckResult> cancelled = new java.util.HashMap<>();
		for (DueOperation operation : operations) {
			if (!operation.cancelRequested()) {
				continue;
			}
			try {
				this.flow.cancelGeneration(session.sessionToken(), operation.operationName());
				cancelled.put(operation.upscaleId(), CheckResult.failed(CANCELLED_UPSTREAM));
				logger.info("batch {}: upscale {} cancelled at Flow", operation.batchId(), operation.upscaleId());
			}
			catch (FlowException ex) {
				logger.info("batch {}: upscale {} not cancelled at Flow ({}); it is checked as usual",
						operation.batchId(), operation.upscaleId(), ex.reason());
			}
		}
		return cancelled;
	}

	/**
	 * What one status of flow-api.md means: {@code _SUCCESSFUL} and {@code _COMPLETE}
	 * completed, {@code _FAILED} and {@code _CANCELED} failed, {@code _IN_PROGRESS} and
	 * {@code _ACTIVE} processing, anything else (queued, scheduled, unknown) still
	 * running until the deadline.
	 */
	private CheckResult resultOf(DueOperation operation, @Nullable MediaStatus status, String sessionToken) {
		if (status == null) {
			return CheckResult.running();
		}
		return switch (status.status()) {
			case SUCCESSFUL, COMPLETE -> completed(operation, status, sessionToken);
			case FAILED, CANCELED -> CheckResult.failed(status.failureReasons().isEmpty() ? status.rawStatus()
					: String.join(", ", status.failureReasons()));
			case ACTIVE, IN_PROGRESS -> CheckResult.active();
			case PENDING, SCHEDULED, UNKNOWN -> CheckResult.running();
		};
	}

	private CheckResult completed(DueOperation operation, MediaStatus status, String sessionToken) {
		Optional<String> url = Optional.ofNullable(status.videoUrl());
		if (url.isEmpty()) {
			try {
				url = this.flow.videoUrl(sessionToken, operation.operationName());
			}
			catch (FlowException ex) {
				return CheckResult.error(ex.reason());
			}
		}
		return url.map(CheckResult::completed).orElseGet(CheckResult::videoUrlNotReady);
	}

	private static CheckResult throttledResult(FlowThrottledException ex) {
		return CheckResult.throttled(ex.reason(), ex.retryAfter());
	}

	/**
	 * What one status call learned.
	 *
	 * @param results per operation, in the call's order
	 * @param remainingCredits the account's credits, when Flow reported them
	 */
	record Checked(List<CheckResult> results, @Nullable Integer remainingCredits) {
	}

}
