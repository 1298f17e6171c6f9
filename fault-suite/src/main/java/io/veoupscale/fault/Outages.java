package io.veoupscale.fault;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.testsupport.ServiceProcess;

/**
 * Scenario 5: the Kafka broker is restarted in the middle of a batch, then PostgreSQL is
 * stopped for a while in the middle of another. No item is lost or started twice, and
 * every service's readiness goes DOWN during the outage and UP after it.
 */
final class Outages {

	private final FaultSystem system;

	private final int items;

	private final Duration kafkaDown;

	private final Duration postgresDown;

	Outages(FaultSystem system, int items, Duration kafkaDown, Duration postgresDown) {
		this.system = system;
		this.items = items;
		this.kafkaDown = kafkaDown;
		this.postgresDown = postgresDown;
	}

	List<Outcome> run() throws Exception {
		Outcome kafka = outage("5a Kafka restart", this.kafkaDown, this.system.kafka::stop, this.system.kafka::start);
		Outcome postgres = outage("5b PostgreSQL stop", this.postgresDown, this.system.postgres::stop,
				this.system.postgres::start);
		return List.of(kafka, postgres);
	}

	private Outcome outage(String name, Duration down, Action stop, Action start) throws Exception {
		Outcome.Builder outcome = new Outcome.Builder(name);
		java.time.Instant started = java.time.Instant.now();
		String profile = "outage-" + UUID.randomUUID().toString().substring(0, 8);
		this.system.profile(profile);
		List<String> sources = this.system.generations(profile, this.items);
		String batchId = this.system.requestBatch(sources, 150);
		FaultSystem.await(Duration.ofSeconds(120), () -> this.system.finishedItems(batchId) >= this.items / 4);
		long before = this.system.finishedItems(batchId);
		FaultSystem.log(name + ": batch " + batchId + " at " + before + "/" + this.items + ", going down for "
				+ down.toSeconds() + " s");
		List<ServiceProcess> services = this.system.services();
		Map<String, Set<String>> seenDuringOutage = new ConcurrentHashMap<>();
		stop.run();
		long until = System.nanoTime() + down.toNanos();
		while (System.nanoTime() < until) {
			for (ServiceProcess service : services) {
				seenDuringOutage.computeIfAbsent(service.name(), (key) -> new HashSet<>()).add(service.readiness());
			}
			Thread.sleep(500);
		}
		start.run();
		FaultSystem.log(name + ": back up");
		boolean upAgain = FaultSystem.await(Duration.ofSeconds(180),
				() -> services.stream().allMatch((service) -> "UP".equals(service.readiness())));
		boolean completed = FaultSystem.await(Duration.ofSeconds(300),
				() -> !this.system.events.of(batchId, BatchCompleted.class).isEmpty());
		Thread.sleep(2000);
		FaultSystem.BatchTally tally = this.system.tally(batchId, this.items);
		long duplicates = tally.scenesAcceptedTwice();
		Map<String, Long> errors = tally.progress()
			.stream()
			.filter((item) -> !item.success())
			.collect(Collectors.groupingBy((item) -> shortError(item.error()), TreeMap::new, Collectors.counting()));
		List<String> neverDown = seenDuringOutage.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().contains("UP") && entry.getValue().size() == 1)
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
		outcome.figure("items", this.items)
			.figure("down", down.toSeconds() + "s")
			.figure("lost", tally.lost())
			.figure("duplicate starts", duplicates)
			.figure("started", tally.started())
			.figure("failed", tally.failed() + (errors.isEmpty() ? "" : " " + errors))
			.figure("completed events", tally.completions())
			.figure("readiness DOWN", (services.size() - neverDown.size()) + "/" + services.size())
			.figure("UP again", upAgain)
			.figure("time", Figures.seconds(Duration.between(started, java.time.Instant.now())));
		outcome.check(completed, "the batch did not complete within 300 s of the restart")
			.check(tally.lost() == 0, tally.lost() + " items lost")
			.check(duplicates == 0, duplicates + " scenes accepted more than once")
			.check(tally.twiceEmitted() == 0, tally.twiceEmitted() + " items emitted two different progress events")
			.check(tally.completions() == 1, tally.completions() + " distinct completed events")
			.check(neverDown.isEmpty(), "readiness stayed UP throughout on " + neverDown)
			.check(upAgain, "not every service was ready again within 180 s");
		return outcome.build();
	}

	private static String shortError(String error) {
		if (error == null) {
			return "none";
		}
		return (error.length() > 40) ? error.substring(0, 40) : error;
	}

	/**
	 * Stopping or starting a piece of infrastructure.
	 */
	@FunctionalInterface
	interface Action {

		void run() throws Exception;

	}

}
