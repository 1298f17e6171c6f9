package io.veoupscale.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.testsupport.ServiceProcess;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;

/**
 * Scenario 1: the worker holding a batch's lease is killed with SIGKILL at random moments
 * while the batch runs, and relaunched at once; the other workers take the batch over. No
 * item may be lost or started twice, and the batch completes once.
 */
final class WorkerKills {

	static final String OUTCOME_UNKNOWN = "Upscale request failed: outcome unknown";

	private final FaultSystem system;

	private final int items;

	private final int kills;

	private final int delayMs;

	private final Random random;

	WorkerKills(FaultSystem system, int items, int kills, int delayMs, long seed) {
		this.system = system;
		this.items = items;
		this.kills = kills;
		this.delayMs = delayMs;
		this.random = new Random(seed);
	}

	Outcome run() throws Exception {
		Outcome.Builder outcome = new Outcome.Builder("1 worker kill -9");
		String profile = "kills-" + UUID.randomUUID().toString().substring(0, 8);
		this.system.profile(profile);
		List<String> sources = this.system.generations(profile, this.items);
		// Kill points: how many items have had their turn when a kill comes, one at a
		// random point of each equal part of the first three fifths of the batch, so
		// that every kill lands before the batch ends; then a random moment within one
		// delay, so kills land while waiting, starting and writing.
		TreeSet<Integer> thresholds = new TreeSet<>();
		int part = Math.max(1, this.items * 3 / 5 / this.kills);
		for (int kill = 0; kill < this.kills; kill++) {
			thresholds.add(1 + kill * part + this.random.nextInt(part));
		}
		String batchId = this.system.requestBatch(sources, this.delayMs);
		FaultSystem.log("scenario 1: batch " + batchId + ", " + this.items + " items, " + this.kills + " kills");
		List<Instant> killedAt = new ArrayList<>();
		for (int threshold : thresholds) {
			boolean reached = FaultSystem.await(Duration.ofSeconds(120),
					() -> this.system.takenItems(batchId) >= threshold);
			if (!reached || this.system.takenItems(batchId) >= this.items) {
				break;
			}
			Thread.sleep(this.random.nextInt(Math.max(1, this.delayMs)));
			String holder = leaseHolder(batchId);
			var victim = (holder != null) ? this.system.worker(holder) : java.util.Optional.<ServiceProcess>empty();
			if (victim.isEmpty() || !victim.get().alive()) {
				FaultSystem.log("scenario 1: no live worker holds the lease (" + holder + ") at "
						+ this.system.takenItems(batchId) + " items taken; this kill is skipped");
				continue;
			}
			Instant now = Instant.now();
			victim.get().kill();
			killedAt.add(now);
			this.system.workers.remove(victim.get());
			this.system.launchWorker();
			long takenAtKill = this.system.takenItems(batchId);
			String killed = victim.get().name();
			FaultSystem.log("scenario 1: killed " + killed + " at " + takenAtKill + " items taken");
			// The next kill waits until another worker holds the lease and moved the
			// batch
			// on: a turn the killed worker took while the signal was on its way must not
			// count as the takeover.
			String[] seen = { killed };
			boolean movedOn = FaultSystem.await(Duration.ofSeconds(120), () -> {
				long taken = this.system.takenItems(batchId);
				String next = leaseHolder(batchId);
				if (next != null && !next.equals(seen[0])) {
					seen[0] = next;
					FaultSystem.log("scenario 1: lease taken by " + next + " at " + taken + " items taken");
				}
				return taken >= this.items || (next != null && !next.equals(killed) && taken > takenAtKill);
			});
			if (!movedOn) {
				FaultSystem.log("scenario 1: no other worker moved the batch on within 120 s of the kill");
			}
		}
		boolean completed = FaultSystem.await(Duration.ofSeconds(180),
				() -> !this.system.events.of(batchId, BatchCompleted.class).isEmpty());
		// Late duplicates would show within a moment.
		Thread.sleep(2000);
		FaultSystem.BatchTally tally = this.system.tally(batchId, this.items);
		long duplicates = tally.scenesCalledTwice();
		List<Duration> recoveries = new ArrayList<>();
		for (Instant kill : killedAt) {
			tally.starts()
				.stream()
				.map(StartCall::receivedAt)
				.filter((at) -> at.isAfter(kill))
				.min(Instant::compareTo)
				.ifPresent((next) -> recoveries.add(Duration.between(kill, next)));
		}
		long unknown = this.system.sql
			.sql("select count(*) from batch_items where batch_id = :id and status = 'failed' and error like :unknown")
			.param("id", batchId)
			.param("unknown", OUTCOME_UNKNOWN + "%")
			.query(Long.class)
			.single();
		long otherFailures = tally.failed() - unknown;
		long lost = tally.lost();
		outcome.figure("items", this.items)
			.figure("kills", killedAt.size())
			.figure("lost", lost)
			.figure("duplicate starts", duplicates)
			.figure("started", tally.started())
			.figure("outcome unknown", unknown)
			.figure("other failures", otherFailures)
			.figure("completed events", tally.completions())
			.figure("recovery", Figures.p50Max(recoveries));
		outcome
			.check(killedAt.size() == this.kills,
					"only " + killedAt.size() + " of " + this.kills + " kills landed before the batch ended")
			.check(completed, "no completed event within 180 s")
			.check(lost == 0,
					lost + " items lost (rows ended " + (tally.started() + tally.failed())
							+ ", items with a progress event " + tally.withEvent() + ")")
			.check(duplicates == 0, duplicates + " scenes started more than once at Flow")
			.check(tally.twiceEmitted() == 0, tally.twiceEmitted() + " items emitted two different progress events")
			.check(otherFailures == 0, otherFailures + " items failed for another reason than an unknown outcome")
			.check(tally.completions() == 1, tally.completions() + " distinct completed events");
		return outcome.build();
	}

	private String leaseHolder(String batchId) {
		return this.system.sql.sql("select leased_by from batches where id = :id and leased_until > now()")
			.param("id", batchId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

}
