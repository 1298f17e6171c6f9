package io.veoupscale.poller.operation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.veoupscale.poller.PollerProperties;
import io.veoupscale.poller.operation.CheckSchedule.Decision;
import io.veoupscale.poller.operation.OperationRepository.DueOperation;
import io.veoupscale.poller.operation.StatusCallPlan.StatusCall;
import io.veoupscale.store.profile.ProfileRepository;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * One poll: claims a batch of due operations (fetch), makes their status calls, several
 * in flight at once, and decides what each result means (execute), then writes it all
 * (write).
 */
@Component
class PollCycle {

	static final String NO_SESSION = "Profile has no active 'flow' cookies";

	private final OperationRepository operations;

	private final ProfileRepository profiles;

	private final StatusChecker checker;

	private final CheckSchedule schedule;

	private final OutcomeWriter writer;

	private final AsyncTaskExecutor checks;

	private final PollerProperties properties;

	private final PollerInstance instance;

	private final Clock clock;

	private final Counter leasesExpired;

	PollCycle(OperationRepository operations, ProfileRepository profiles, StatusChecker checker, CheckSchedule schedule,
			OutcomeWriter writer, @Qualifier("statusCheckExecutor") AsyncTaskExecutor checks,
			PollerProperties properties, PollerInstance instance, Clock clock, MeterRegistry meters) {
		this.operations = operations;
		this.profiles = profiles;
		this.checker = checker;
		this.schedule = schedule;
		this.writer = writer;
		this.checks = checks;
		this.properties = properties;
		this.instance = instance;
		this.clock = clock;
		this.leasesExpired = Counter.builder("upscale.poller.leases.expired")
			.description("Operations taken over from a poller whose lease ran out")
			.register(meters);
	}

	/**
	 * Claims, checks and writes one batch of due operations. Once {@code stopping} says
	 * so, calls not yet made are dropped and nothing is written: the leases held then
	 * expire, the same path as a poller that died.
	 * @param stopping whether the poller is stopping
	 * @return how many were claimed
	 */
	int pollOnce(BooleanSupplier stopping) {
		List<DueOperation> due = this.operations.claimDue(this.instance.owner(), this.clock.instant());
		if (due.isEmpty()) {
			return 0;
		}
		this.leasesExpired.increment(due.stream().filter(DueOperation::leaseExpired).count());
		Instant now = this.clock.instant();
		StatusCallPlan plan = StatusCallPlan.of(due, this.profiles::findCookies, this.properties.maxPerCheck(), now);
		PollOutcomes outcomes = new PollOutcomes();
		outcomes.addAll(plan.withoutSession()
			.stream()
			.map((operation) -> this.schedule.decide(operation, CheckResult.error(NO_SESSION), now))
			.toList());
		callAll(plan.calls(), outcomes, stopping);
		if (!stopping.getAsBoolean()) {
			this.writer.write(outcomes, this.instance.owner());
		}
		return due.size();
	}

	private void callAll(List<StatusCall> calls, PollOutcomes outcomes, BooleanSupplier stopping) {
		if (calls.size() == 1) {
			call(calls.get(0), outcomes, stopping);
			return;
		}
		List<Future<?>> inFlight = new ArrayList<>(calls.size());
		for (StatusCall call : calls) {
			inFlight.add(this.checks.submit(() -> call(call, outcomes, stopping)));
		}
		RuntimeException failure = null;
		for (Future<?> call : inFlight) {
			try {
				call.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while checking operations", ex);
			}
			catch (ExecutionException | CancellationException ex) {
				if (failure == null) {
					failure = new IllegalStateException("Status checks did not complete; their leases will expire", ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	private void call(StatusCall call, PollOutcomes outcomes, BooleanSupplier stopping) {
		if (stopping.getAsBoolean()) {
			return;
		}
		StatusChecker.Checked checked = this.checker.check(call);
		List<CheckResult> results = checked.results();
		Instant now = this.clock.instant();
		if (checked.remainingCredits() != null) {
			outcomes.credits(call.session().profileId(), checked.remainingCredits(), now);
		}
		List<DueOperation> operations = call.operations();
		List<Decision> decisions = new ArrayList<>(operations.size());
		for (int i = 0; i < operations.size(); i++) {
			decisions.add(this.schedule.decide(operations.get(i), results.get(i), now));
		}
		outcomes.addAll(decisions);
	}

}
