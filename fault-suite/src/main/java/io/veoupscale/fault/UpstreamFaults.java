package io.veoupscale.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;

/**
 * Scenario 3: Flow answers a share of starts with 5xx, 429 with Retry-After, or too late
 * for the worker's read timeout, while two batches of one profile run at once. Every item
 * ends started once or failed with a clear error, and the profile's starts stay at least
 * its minimum spacing apart.
 */
final class UpstreamFaults {

	private final FaultSystem system;

	private final int itemsPerBatch;

	private final Duration spacing;

	UpstreamFaults(FaultSystem system, int itemsPerBatch, Duration spacing) {
		this.system = system;
		this.itemsPerBatch = itemsPerBatch;
		this.spacing = spacing;
	}

	Outcome run() throws Exception {
		Outcome.Builder outcome = new Outcome.Builder("3 upstream fault mix");
		FaultSystem.log("scenario 3: workers with profile spacing " + this.spacing.toMillis() + " ms");
		this.system.replaceWorkers(2, Map.of("upscale.worker.profile-min-spacing", this.spacing.toMillis() + "ms",
				"upscale.worker.throttle-backoff", "1s"));
		String profile = "upstream-" + UUID.randomUUID().toString().substring(0, 8);
		String account = this.system.profile(profile);
		List<String> sources = this.system.generations(profile, 2 * this.itemsPerBatch);
		// Rules are tried in order; each probability applies to the calls the rules
		// before
		// it spared, so that overall 20% get a 5xx, 5% a 429 and 2% time out.
		this.system.flow.addFault(Map.of("target", "start", "kind", "error", "httpStatus", 503, "times", 0, "account",
				account, "probability", 0.20));
		this.system.flow.addFault(Map.of("target", "start", "kind", "error", "httpStatus", 429, "retryAfterSeconds", 1,
				"times", 0, "account", account, "probability", 0.05 / 0.80));
		this.system.flow.addFault(Map.of("target", "start", "kind", "latency", "latencyMs", 3000, "times", 0, "account",
				account, "probability", 0.02 / 0.75));
		List<String> batches = new ArrayList<>();
		try {
			batches.add(this.system.requestBatch(sources.subList(0, this.itemsPerBatch), 100));
			batches.add(this.system.requestBatch(sources.subList(this.itemsPerBatch, sources.size()), 100));
			FaultSystem.log("scenario 3: batches " + batches);
			FaultSystem.await(Duration.ofSeconds(600), () -> batches.stream()
				.allMatch((batch) -> !this.system.events.of(batch, BatchCompleted.class).isEmpty()));
		}
		finally {
			this.system.flow.clearFaults();
		}
		Thread.sleep(2000);
		Set<String> scenes = new HashSet<>();
		batches.forEach((batch) -> scenes.addAll(this.system.sceneIdsOf(batch)));
		List<StartCall> calls = this.system.flow.starts()
			.stream()
			.filter((start) -> scenes.contains(start.sceneId()))
			.toList();
		Map<String, Long> acceptedByScene = calls.stream()
			.filter(StartCall::accepted)
			.collect(Collectors.groupingBy(StartCall::sceneId, Collectors.counting()));
		long duplicates = acceptedByScene.values().stream().filter((count) -> count > 1).count();
		Map<String, Long> outcomes = calls.stream()
			.collect(Collectors.groupingBy(StartCall::outcome, java.util.TreeMap::new, Collectors.counting()));
		List<Instant> arrivals = calls.stream().map(StartCall::receivedAt).sorted().toList();
		Duration minGap = null;
		long closer = 0;
		for (int i = 1; i < arrivals.size(); i++) {
			Duration gap = Duration.between(arrivals.get(i - 1), arrivals.get(i));
			minGap = (minGap == null || gap.compareTo(minGap) < 0) ? gap : minGap;
			closer += (gap.compareTo(this.spacing) < 0) ? 1 : 0;
		}
		long started = 0;
		long clearFailures = 0;
		long unclear = 0;
		long missing = 0;
		long completions = 0;
		Map<String, Long> errors = new java.util.TreeMap<>();
		for (String batch : batches) {
			List<ItemProgressed> progress = this.system.events.of(batch, ItemProgressed.class);
			Map<Integer, ItemProgressed> byIndex = progress.stream()
				.collect(Collectors.toMap(ItemProgressed::index, (item) -> item, (a, b) -> a));
			missing += this.itemsPerBatch - byIndex.size();
			for (ItemProgressed item : byIndex.values()) {
				if (item.success()) {
					started++;
				}
				else if (item.error() != null && item.error().startsWith("Upscale request failed: ")) {
					clearFailures++;
					String error = item.error().substring("Upscale request failed: ".length());
					errors.merge(error.contains(" ") ? error.substring(0, error.indexOf(' ')) : error, 1L, Long::sum);
				}
				else {
					unclear++;
				}
			}
			completions += this.system.events.of(batch, BatchCompleted.class)
				.stream()
				.map(BatchCompleted::eventId)
				.distinct()
				.count();
		}
		long startedWithoutAcceptance = 0;
		for (String batch : batches) {
			for (ItemProgressed item : this.system.events.of(batch, ItemProgressed.class)) {
				if (item.success() && !acceptedByScene.containsKey(item.sceneId())) {
					startedWithoutAcceptance++;
				}
			}
		}
		outcome.figure("items", 2 * this.itemsPerBatch)
			.figure("start calls", calls.size() + " " + outcomes)
			.figure("started", started)
			.figure("failed", clearFailures + " " + errors)
			.figure("missing", missing)
			.figure("duplicate starts", duplicates)
			.figure("min gap", (minGap != null) ? Figures.millis(minGap) : "n/a")
			.figure("spacing", this.spacing.toMillis() + "ms");
		outcome.check(missing == 0, missing + " items never ended")
			.check(unclear == 0, unclear + " items failed without a clear error")
			.check(duplicates == 0, duplicates + " scenes accepted more than once")
			.check(startedWithoutAcceptance == 0,
					startedWithoutAcceptance + " items reported started that Flow never accepted")
			.check(completions == 2, completions + " distinct completed events for 2 batches")
			.check(closer == 0, closer + " start calls came closer than the profile spacing (min gap "
					+ ((minGap != null) ? Figures.millis(minGap) : "n/a") + ")");
		return outcome.build();
	}

}
