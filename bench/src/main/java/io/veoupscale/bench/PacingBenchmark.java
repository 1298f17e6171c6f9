package io.veoupscale.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.store.generation.GenerationRepository;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.ProfileRepository;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.Services;
import io.veoupscale.testsupport.SimulatorAdmin;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;
import io.veoupscale.worker.UpscaleWorkerApplication;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * How exactly the worker paces a batch, measured where it matters: at the (simulated)
 * Flow API. For each scenario a batch goes through a real worker, broker and PostgreSQL;
 * the simulator's arrival times give the gaps between starts. A start leaves the delay
 * after the previous start was answered, so each gap carries the delay and the previous
 * start's round trip; the batch's wall time is set against the limit a guaranteed pacing
 * can reach: the sum over gaps of (delay + the previous start's round trip, as the worker
 * recorded it), plus the last start's latency (from its arrival at Flow to the worker's
 * record of it). A warm-up batch runs first, as a long-running worker is warm. Arguments
 * {@code --name=value} override worker properties.
 */
final class PacingBenchmark {

	private record Scenario(int items, int delayMs) {
	}

	private PacingBenchmark() {
	}

	static void run(String[] args) throws Exception {
		List<Scenario> scenarios = List.of(new Scenario(50, 200), new Scenario(10, 1500), new Scenario(50, 0));
		SimulatorProcess simulator = SimulatorProcess.start();
		int simulatorPort = simulator.port();
		String flowUrl = simulator.url();
		Map<String, String> properties = new LinkedHashMap<>(Map.of("flow.api-base-url", flowUrl, "flow.labs-base-url",
				flowUrl + "/fx", "upscale.worker.profile-min-spacing", "0ms", "upscale.worker.claim-interval", "50ms",
				"logging.level.root", "WARN", "spring.kafka.consumer.group-id", "bench-" + UUID.randomUUID()));
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("Expected --name=value worker property overrides, got " + arg);
			}
			properties.put(arg.substring(2, equals), arg.substring(equals + 1));
		}
		ConfigurableApplicationContext worker = Services.run(UpscaleWorkerApplication.builder(), properties);
		SimulatorAdmin flow = new SimulatorAdmin(simulatorPort);
		try (EventsProbe events = EventsProbe.start()) {
			String profile = "bench-" + UUID.randomUUID().toString().substring(0, 8);
			worker.getBean(ProfileRepository.class)
				.save(profile, profile, true,
						new FlowCookies("session-" + profile, Instant.now().plus(Duration.ofDays(1))));
			runBatch(worker, events, flow, profile, new Scenario(200, 0));
			System.out.println();
			System.out
				.println("Pacing benchmark: one worker, real Kafka (embedded KRaft) and PostgreSQL, Flow simulator");
			System.out.printf("%-6s %-8s %-11s %-11s %-7s %-9s %-9s %-9s %-11s %-6s %-8s %-8s %-9s%n", "items",
					"delayMs", "wall_ms", "limit_ms", "ratio", "min_gap", "p50_gap", "p99_gap", "p99_excess", "below",
					"rtt_p50", "rtt_max", "starts/s");
			for (Scenario scenario : scenarios) {
				Result result = runBatch(worker, events, flow, profile, scenario);
				System.out.printf(
						"%-6d %-8d %-11.1f %-11.1f %-7s %-9.1f %-9.1f %-9.1f %-11.1f %-6d %-8.1f %-8.1f %-9.1f%n",
						scenario.items(), scenario.delayMs(), result.wallMs(), result.limitMs(),
						(scenario.delayMs() > 0) ? String.format("%.4f", result.ratio()) : "n/a", result.minGapMs(),
						result.p50GapMs(), result.p99GapMs(), result.p99GapMs() - scenario.delayMs(), result.below(),
						result.rttP50Ms(), result.rttMaxMs(), result.startsPerSecond());
			}
			System.out.println("gaps in ms between consecutive start arrivals at Flow; below = gaps shorter than "
					+ "delayMs; rtt = a start's round trip (sent to answered) as the worker recorded it; "
					+ "limit = sum of (delayMs + the previous start's rtt) + the last start's latency; "
					+ "ratio = wall / limit");
		}
		finally {
			worker.close();
			simulator.close();
		}
	}

	@SuppressWarnings("unchecked")
	private static Result runBatch(ConfigurableApplicationContext worker, EventsProbe events, SimulatorAdmin flow,
			String profile, Scenario scenario) throws InterruptedException {
		GenerationRepository generations = worker.getBean(GenerationRepository.class);
		List<UpscaleRequest> requests = new ArrayList<>();
		String prefix = profile + "-" + UUID.randomUUID().toString().substring(0, 6);
		for (int i = 1; i <= scenario.items(); i++) {
			String id = prefix + "-" + i;
			generations.save(id, "bench", profile, "completed", "media-" + id, "flow-bench");
			requests.add(new UpscaleRequest(id, null));
		}
		String batchId = "bench-" + UUID.randomUUID();
		worker.getBean(KafkaTemplate.class)
			.send(Topics.BATCH_REQUESTS, batchId,
					UpscaleJson.write(new BatchRequested(batchId, requests, scenario.delayMs(), Instant.now())))
			.join();
		Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
		while (events.of(batchId, BatchCompleted.class).isEmpty()) {
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("Batch " + batchId + " did not complete in 5 minutes");
			}
			Thread.sleep(50);
		}
		List<Instant[]> calls = worker.getBean(JdbcClient.class)
			.sql("select sent_at, answered_at from batch_items where batch_id = :id order by item_index")
			.param("id", batchId)
			.query((rs, row) -> new Instant[] { rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant() })
			.list();
		List<String> scenes = worker.getBean(JdbcClient.class)
			.sql("select scene_id::text from batch_items where batch_id = :id")
			.param("id", batchId)
			.query(String.class)
			.list();
		List<Instant> arrivals = flow.starts()
			.stream()
			.filter((start) -> scenes.contains(start.sceneId()) && start.accepted())
			.map(StartCall::receivedAt)
			.sorted()
			.toList();
		List<ItemProgressed> progress = events.of(batchId, ItemProgressed.class);
		if (arrivals.size() != scenario.items() || progress.stream().anyMatch((item) -> !item.success())) {
			throw new IllegalStateException("Batch " + batchId + " did not start every item once: " + arrivals.size());
		}
		Instant first = arrivals.get(0);
		Instant last = arrivals.get(arrivals.size() - 1);
		double lastLatencyMs = millis(last, progress.get(progress.size() - 1).occurredAt());
		double wallMs = millis(first, last) + lastLatencyMs;
		List<Double> roundTrips = new ArrayList<>();
		double limitMs = lastLatencyMs;
		for (int i = 0; i < calls.size(); i++) {
			double roundTrip = millis(calls.get(i)[0], calls.get(i)[1]);
			roundTrips.add(roundTrip);
			if (i < calls.size() - 1) {
				limitMs += scenario.delayMs() + roundTrip;
			}
		}
		List<Double> gaps = new ArrayList<>();
		int below = 0;
		for (int i = 1; i < arrivals.size(); i++) {
			double gap = millis(arrivals.get(i - 1), arrivals.get(i));
			gaps.add(gap);
			below += (gap < scenario.delayMs()) ? 1 : 0;
		}
		gaps.sort(Double::compare);
		roundTrips.sort(Double::compare);
		double startsPerSecond = (arrivals.size() - 1) / Math.max(millis(first, last) / 1000.0, 1e-9);
		return new Result(wallMs, limitMs, wallMs / limitMs, gaps.get(0), percentile(gaps, 0.50),
				percentile(gaps, 0.99), below, percentile(roundTrips, 0.5), roundTrips.get(roundTrips.size() - 1),
				startsPerSecond);
	}

	private static double percentile(List<Double> sorted, double quantile) {
		int index = (int) Math.ceil(quantile * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

	private static double millis(Instant from, Instant to) {
		return Duration.between(from, to).toNanos() / 1_000_000.0;
	}

	private record Result(double wallMs, double limitMs, double ratio, double minGapMs, double p50GapMs,
			double p99GapMs, int below, double rttP50Ms, double rttMaxMs, double startsPerSecond) {
	}

}
