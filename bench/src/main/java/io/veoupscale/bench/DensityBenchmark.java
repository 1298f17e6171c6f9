package io.veoupscale.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.store.generation.GenerationRepository;
import io.veoupscale.store.profile.ProfileRepository;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.ServiceProcess;
import io.veoupscale.testsupport.SimulatorAdmin;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;
import io.veoupscale.testsupport.TestInfrastructure;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * What one worker process does with many accounts at once, with its default settings,
 * against a simulator (its own JVM) that answers at once. Three parts: density (N
 * profiles, one 10-item batch each, submitted together: wall time against the ideal of
 * the first start plus 9 delays, the gaps at Flow, CPU and memory of the worker),
 * fairness (how soon an idle profile's batch starts behind another profile's backlog),
 * and one long batch over 50 profiles at {@code delayMs} 0, against the floor its
 * profiles' spacing sets. Arguments {@code --name=value} override worker properties.
 */
final class DensityBenchmark {

	private static final int ITEMS = 10;

	private static final Duration SPACING = Duration.ofSeconds(1);

	private DensityBenchmark() {
	}

	static void run(String[] args) throws Exception {
		SimulatorProcess simulator = SimulatorProcess.start();
		SimulatorAdmin flow = new SimulatorAdmin(simulator.port());
		ConfigurableApplicationContext store = BenchStore.start();
		Map<String, Object> properties = new LinkedHashMap<>(TestInfrastructure.springProperties());
		properties.put("flow.api-base-url", simulator.url());
		properties.put("flow.labs-base-url", simulator.url() + "/fx");
		properties.put("spring.kafka.consumer.group-id", "bench-density-" + UUID.randomUUID());
		properties.put("upscale.worker.instance-id", "bench-density");
		List<String> overrides = new ArrayList<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("Expected --name=value worker property overrides, got " + arg);
			}
			properties.put(arg.substring(2, equals), arg.substring(equals + 1));
			overrides.add(arg);
		}
		try (ServiceProcess worker = BenchBatches.service("upscale-worker", ServiceProcess.DOCKERFILE_JVM_OPTIONS,
				properties); EventsProbe events = EventsProbe.start()) {
			Bench bench = new Bench(store, events, flow, worker);
			bench.densityRow(100, 200, false);
			System.out.printf(
					"%nDensity benchmark: one worker process (default settings%s), Flow simulator "
							+ "answering at once; %s%n",
					overrides.isEmpty() ? "" : " " + String.join(" ", overrides), BenchBatches.load());
			System.out.printf("%-6s %-8s %-9s %-9s %-6s %-8s %-9s %-8s %-9s %-9s %-10s %-8s%n", "N", "delayMs",
					"wall_s", "ideal_s", "ratio", "spread_s", "gaps", "below", "p99_exc", "starts/s", "cpu_s/1k",
					"rss_mib");
			String rows = System.getProperty("density.rows", "10x1500,100x1500,500x10000,1000x10000");
			for (String row : rows.split(",")) {
				String[] parts = row.split("x");
				bench.densityRow(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), true);
			}
			System.out.println("wall from the first submission to the last start's arrival at Flow; ideal = first "
					+ "start's arrival + 9 delays; spread = first arrival of the last batch to start minus that of "
					+ "the first; below = gaps shorter than delayMs; p99_exc = p99 of gap - delayMs in ms; "
					+ "cpu_s/1k = worker CPU seconds per 1,000 starts; rss = worker VmRSS after the row");
			if (System.getProperty("density.rows") != null) {
				return;
			}
			System.out.printf("%nFairness: an idle profile's 1-item batch submitted behind one profile's backlog "
					+ "of 3-item batches at delayMs 1000%n");
			System.out.printf("%-9s %-22s%n", "backlog", "idle_first_start_ms");
			for (int backlog : List.of(10, 100, 1000)) {
				System.out.printf("%-9d %-22.0f%n", backlog, bench.fairness(backlog));
			}
			bench.longBatch();
		}
		finally {
			store.close();
			simulator.close();
		}
	}

	/**
	 * The benchmark's seeding, submission and measurement against one worker.
	 */
	private record Bench(ConfigurableApplicationContext store, EventsProbe events, SimulatorAdmin flow,
			ServiceProcess worker) {

		void densityRow(int profiles, int delayMs, boolean print) throws Exception {
			List<List<UpscaleRequest>> batches = new ArrayList<>();
			for (int p = 0; p < profiles; p++) {
				batches.add(requests(profile(), ITEMS));
			}
			double cpuBefore = cpuSeconds();
			Instant submitted = Instant.now();
			List<String> ids = submit(batches, delayMs);
			awaitCompleted(ids, Duration.ofMillis(3L * ITEMS * delayMs).plusMinutes(2));
			double cpu = cpuSeconds() - cpuBefore;
			Map<String, List<Instant>> arrivals = arrivals(ids);
			Instant first = arrivals.values()
				.stream()
				.map((times) -> times.get(0))
				.min(Instant::compareTo)
				.orElseThrow();
			Instant lastFirst = arrivals.values()
				.stream()
				.map((times) -> times.get(0))
				.max(Instant::compareTo)
				.orElseThrow();
			Instant last = arrivals.values()
				.stream()
				.map((times) -> times.get(times.size() - 1))
				.max(Instant::compareTo)
				.orElseThrow();
			List<Double> excess = new ArrayList<>();
			int below = 0;
			for (List<Instant> times : arrivals.values()) {
				for (int i = 1; i < times.size(); i++) {
					double gap = millis(times.get(i - 1), times.get(i));
					excess.add(gap - delayMs);
					below += (gap < delayMs) ? 1 : 0;
				}
			}
			excess.sort(Double::compare);
			int starts = arrivals.values().stream().mapToInt(List::size).sum();
			double wall = millis(submitted, last) / 1000;
			double ideal = (millis(submitted, first) + (ITEMS - 1) * (double) delayMs) / 1000;
			if (print) {
				System.out.printf("%-6d %-8d %-9.2f %-9.2f %-6.3f %-8.2f %-9d %-8d %-9.1f %-9.1f %-10.2f %-8.0f%n",
						profiles, delayMs, wall, ideal, wall / ideal, millis(first, lastFirst) / 1000, excess.size(),
						below, BenchBatches.percentile(excess, 0.99), (starts - 1) / (millis(first, last) / 1000),
						cpu / starts * 1000, this.worker.rssKib() / 1024.0);
				if (Boolean.getBoolean("density.detail")) {
					printStages(ids, arrivals);
				}
			}
		}

		/**
		 * Where each batch's first start spent its time: submission to intake (the batch
		 * stored), intake to claim (leased by the worker), claim to arrival at Flow.
		 */
		private void printStages(List<String> ids, Map<String, List<Instant>> arrivals) {
			List<Double> intake = new ArrayList<>();
			List<Double> claim = new ArrayList<>();
			List<Double> start = new ArrayList<>();
			this.store.getBean(JdbcClient.class)
				.sql("select id, requested_at, received_at, started_at from batches where id = any(:ids)")
				.param("ids", ids.toArray(String[]::new))
				.query((rs) -> {
					Instant requested = rs.getTimestamp(2).toInstant();
					Instant received = rs.getTimestamp(3).toInstant();
					Instant claimed = rs.getTimestamp(4).toInstant();
					intake.add(millis(requested, received));
					claim.add(millis(received, claimed));
					start.add(millis(claimed, arrivals.get(rs.getString(1)).get(0)));
				});
			for (List<Double> stage : List.of(intake, claim, start)) {
				stage.sort(Double::compare);
			}
			System.out.printf(
					"       first start, ms p50/max: submitted->stored %.0f/%.0f, stored->claimed %.0f/%.0f, "
							+ "claimed->at Flow %.0f/%.0f%n",
					BenchBatches.percentile(intake, 0.5), intake.get(intake.size() - 1),
					BenchBatches.percentile(claim, 0.5), claim.get(claim.size() - 1),
					BenchBatches.percentile(start, 0.5), start.get(start.size() - 1));
		}

		double fairness(int backlog) throws Exception {
			String busy = profile();
			List<List<UpscaleRequest>> batches = new ArrayList<>();
			for (int b = 0; b < backlog; b++) {
				batches.add(requests(busy, 3));
			}
			List<String> backlogIds = submit(batches, 1000);
			Thread.sleep(1000);
			List<UpscaleRequest> idle = requests(profile(), 1);
			List<String> idleId = submit(List.of(idle), 0);
			Instant accepted = Instant.now();
			awaitCompleted(idleId, Duration.ofSeconds(60));
			Instant firstStart = arrivals(idleId).values().iterator().next().get(0);
			discard(backlogIds);
			return millis(accepted, firstStart);
		}

		void longBatch() throws Exception {
			List<String> profiles = new ArrayList<>();
			for (int p = 0; p < 50; p++) {
				profiles.add(profile());
			}
			List<UpscaleRequest> items = new ArrayList<>();
			for (int round = 0; round < 20; round++) {
				for (String profile : profiles) {
					items.addAll(requests(profile, 1));
				}
			}
			List<String> id = submit(List.of(items), 0);
			awaitCompleted(id, Duration.ofMinutes(5));
			List<Instant> times = arrivals(id).values().iterator().next();
			double wall = millis(times.get(0), times.get(times.size() - 1)) / 1000;
			double floor = 19 * SPACING.toMillis() / 1000.0;
			System.out.printf("%nOne long batch: 1,000 items over 50 profiles at delayMs 0, profile spacing %d ms%n",
					SPACING.toMillis());
			System.out.printf("%-8s %-9s %-9s %-6s%n", "starts", "wall_s", "floor_s", "ratio");
			System.out.printf("%-8d %-9.2f %-9.2f %-6.3f%n", times.size(), wall, floor, wall / floor);
			System.out.println("wall from the first start's arrival at Flow to the last's; floor = 19 spacings "
					+ "(20 starts per profile)");
		}

		private String profile() {
			String id = "bench-d-" + UUID.randomUUID().toString().substring(0, 8);
			BenchBatches.profile(this.store.getBean(ProfileRepository.class), id);
			return id;
		}

		private List<UpscaleRequest> requests(String profile, int count) {
			return BenchBatches.generations(this.store.getBean(GenerationRepository.class), profile, count);
		}

		@SuppressWarnings("unchecked")
		private List<String> submit(List<List<UpscaleRequest>> batches, int delayMs) {
			KafkaTemplate<String, String> kafka = this.store.getBean(KafkaTemplate.class);
			List<String> ids = new ArrayList<>();
			List<CompletableFuture<?>> sends = new ArrayList<>();
			for (List<UpscaleRequest> requests : batches) {
				String batchId = "bench-" + UUID.randomUUID();
				ids.add(batchId);
				sends.add(kafka.send(Topics.BATCH_REQUESTS, batchId,
						UpscaleJson.write(new BatchRequested(batchId, requests, delayMs, Instant.now()))));
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
			return ids;
		}

		private void awaitCompleted(List<String> ids, Duration timeout) throws InterruptedException {
			Instant deadline = Instant.now().plus(timeout);
			for (String id : ids) {
				while (this.events.of(id, BatchCompleted.class).isEmpty()) {
					if (Instant.now().isAfter(deadline)) {
						throw new IllegalStateException("Batch " + id + " did not complete in " + timeout);
					}
					Thread.sleep(20);
				}
			}
		}

		/**
		 * The accepted starts' arrivals at Flow, per batch, in order.
		 */
		private Map<String, List<Instant>> arrivals(List<String> ids) {
			Map<String, String> batchOfScene = new HashMap<>();
			this.store.getBean(JdbcClient.class)
				.sql("select scene_id::text, batch_id from batch_items where batch_id = any(:ids)")
				.param("ids", ids.toArray(String[]::new))
				.query((rs) -> {
					batchOfScene.put(rs.getString(1), rs.getString(2));
				});
			Map<String, List<Instant>> arrivals = new HashMap<>();
			for (StartCall start : this.flow.starts()) {
				String batchId = batchOfScene.get(start.sceneId());
				if (batchId != null && start.accepted()) {
					arrivals.computeIfAbsent(batchId, (key) -> new ArrayList<>()).add(start.receivedAt());
				}
			}
			arrivals.values().forEach((times) -> times.sort(Instant::compareTo));
			return arrivals;
		}

		/**
		 * Deletes a backlog that was only there to be waited behind.
		 */
		private void discard(List<String> ids) {
			JdbcClient sql = this.store.getBean(JdbcClient.class);
			String[] batchIds = ids.toArray(String[]::new);
			sql.sql("delete from upscales where batch_id = any(:ids)").param("ids", batchIds).update();
			sql.sql("delete from batches where id = any(:ids)").param("ids", batchIds).update();
		}

		private double cpuSeconds() {
			return this.worker.process()
				.info()
				.totalCpuDuration()
				.map((cpu) -> cpu.toNanos() / 1e9)
				.orElseThrow(() -> new IllegalStateException("No CPU time for the worker process"));
		}

	}

	private static double millis(Instant from, Instant to) {
		return Duration.between(from, to).toNanos() / 1_000_000.0;
	}

}
