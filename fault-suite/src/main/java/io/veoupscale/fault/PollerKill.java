package io.veoupscale.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.UpscaleFinished;
import io.veoupscale.testsupport.ServiceProcess;

/**
 * Scenario 4: the status poller is killed with SIGKILL while it holds leases on checks,
 * with the operations of whole batches in flight, and started again. Every upscale still
 * reaches its end, with one {@code veo3:upscale:status} event each.
 */
final class PollerKill {

	private final FaultSystem system;

	private final int operations;

	PollerKill(FaultSystem system, int operations) {
		this.system = system;
		this.operations = operations;
	}

	Outcome run() throws Exception {
		Outcome.Builder outcome = new Outcome.Builder("4 poller kill -9");
		int batchCount = 2;
		int perBatch = this.operations / batchCount;
		List<String> batches = new ArrayList<>();
		for (int b = 0; b < batchCount; b++) {
			String profile = "poller-" + b + "-" + UUID.randomUUID().toString().substring(0, 8);
			this.system.profile(profile);
			batches.add(this.system.requestBatch(this.system.generations(profile, perBatch), 0));
		}
		FaultSystem.log("scenario 4: batches " + batches + ", " + this.operations + " upscales");
		boolean allStarted = FaultSystem.await(Duration.ofSeconds(300), () -> batches.stream()
			.allMatch((batch) -> !this.system.events.of(batch, BatchCompleted.class).isEmpty()));
		long initiated = count("select count(*) from upscales where batch_id in (:batches)", batches);
		long inFlight = count(
				"select count(*) from upscales where batch_id in (:batches) and status not in ('completed', 'failed')",
				batches);
		// The kill comes the moment the poller is seen holding leases on checks.
		long[] leasedAtKill = { 0 };
		boolean leased = FaultSystem.await(Duration.ofSeconds(60), () -> {
			leasedAtKill[0] = count(
					"select count(*) from operation_checks where batch_id in (:batches) and leased_until > now()",
					batches);
			return leasedAtKill[0] > 0;
		});
		ServiceProcess killed = this.system.poller();
		Instant kill = Instant.now();
		killed.kill();
		FaultSystem
			.log("scenario 4: killed " + killed + " with " + inFlight + " in flight, " + leasedAtKill[0] + " leased");
		this.system.launchPoller().awaitReady(FaultSystem.READY_TIMEOUT);
		boolean ended = FaultSystem.await(Duration.ofSeconds(300), () -> count(
				"select count(*) from upscales where batch_id in (:batches) and status in ('completed', 'failed')",
				batches) >= initiated && finishedEvents(batches).size() >= initiated);
		Duration toEnd = Duration.between(kill, Instant.now());
		Thread.sleep(3000);
		List<UpscaleFinished> finished = finishedEvents(batches);
		Map<String, Set<String>> eventsByUpscale = finished.stream()
			.collect(Collectors.groupingBy(UpscaleFinished::upscaleId,
					Collectors.mapping(UpscaleFinished::eventId, Collectors.toSet())));
		long twice = eventsByUpscale.values().stream().filter((ids) -> ids.size() > 1).count();
		long redelivered = finished.size() - eventsByUpscale.values().stream().mapToLong(Set::size).sum();
		long completed = count("select count(*) from upscales where batch_id in (:batches) and status = 'completed'",
				batches);
		long failed = count("select count(*) from upscales where batch_id in (:batches) and status = 'failed'",
				batches);
		long stillChecked = count("select count(*) from operation_checks where batch_id in (:batches)", batches);
		outcome.figure("upscales", initiated)
			.figure("in flight at kill", inFlight)
			.figure("leased at kill", leasedAtKill[0])
			.figure("completed", completed)
			.figure("failed", failed)
			.figure("status events", eventsByUpscale.size())
			.figure("twice", twice)
			.figure("redelivered", redelivered)
			.figure("kill to all ended", ended ? Figures.seconds(toEnd) : "n/a");
		outcome
			.check(allStarted && initiated == this.operations,
					"only " + initiated + " of " + this.operations + " upscales were initiated")
			.check(leased, "the poller never held a lease to kill it in")
			.check(inFlight >= this.operations * 9L / 10, "only " + inFlight + " operations were in flight at the kill")
			.check(ended, "not every upscale ended within 300 s of the kill")
			.check(completed == initiated, (initiated - completed) + " upscales did not complete")
			.check(eventsByUpscale.size() == initiated,
					(initiated - eventsByUpscale.size()) + " upscales have no status event")
			.check(twice == 0, twice + " upscales have two different status events")
			.check(stillChecked == 0, stillChecked + " operations are still scheduled for checks");
		return outcome.build();
	}

	private List<UpscaleFinished> finishedEvents(List<String> batches) {
		return batches.stream()
			.flatMap((batch) -> this.system.events.of(batch, UpscaleFinished.class).stream())
			.toList();
	}

	private long count(String sql, List<String> batches) {
		return this.system.sql.sql(sql).param("batches", batches).query(Long.class).single();
	}

}
