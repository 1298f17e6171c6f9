package io.veoupscale.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.Topics;
import io.veoupscale.simulator.SimulatedAccounts;
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
 * Whether more workers finish the same batches sooner while every profile stays paced:
 * batches of three profiles worked by one worker process, then by three (separate JVMs
 * from the executable worker jar, one consumer group), against the same simulator in its
 * own JVM. The simulator's log of start arrivals gives each profile's smallest gap.
 * Arguments {@code --name=value} override worker properties.
 */
final class ScaleOutBenchmark {

	private static final int PROFILES = 3;

	private static final int BATCHES_PER_PROFILE = 3;

	private static final int ITEMS = 20;

	private static final int DELAY_MS = 100;

	private static final Duration MIN_SPACING = Duration.ofMillis(20);

	private ScaleOutBenchmark() {
	}

	static void run(String[] args) throws Exception {
		SimulatorProcess simulator = SimulatorProcess.start();
		SimulatorAdmin flow = new SimulatorAdmin(simulator.port());
		ConfigurableApplicationContext store = BenchStore.start();
		String group = "bench-scaleout-" + UUID.randomUUID();
		Map<String, Object> properties = new LinkedHashMap<>(TestInfrastructure.springProperties());
		properties.put("flow.api-base-url", simulator.url());
		properties.put("flow.labs-base-url", simulator.url() + "/fx");
		properties.put("upscale.worker.profile-min-spacing", MIN_SPACING.toMillis() + "ms");
		properties.put("upscale.worker.claim-interval", "100ms");
		properties.put("spring.kafka.consumer.group-id", group);
		List<String> overrides = new ArrayList<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (arg.startsWith("--") && equals > 0) {
				properties.put(arg.substring(2, equals), arg.substring(equals + 1));
				overrides.add(arg);
			}
		}
		List<ServiceProcess> workers = new ArrayList<>();
		try (EventsProbe events = EventsProbe.start()) {
			Map<String, String> accounts = new LinkedHashMap<>();
			for (int p = 1; p <= PROFILES; p++) {
				String profile = "bench-s" + p + "-" + UUID.randomUUID().toString().substring(0, 6);
				accounts.put(profile, SimulatedAccounts
					.accountOf(BenchBatches.profile(store.getBean(ProfileRepository.class), profile)));
			}
			workers.add(startWorker(properties, 1));
			round(store, events, accounts, 5, 0);
			Result one = measure(1, store, events, flow, accounts);
			workers.add(startWorker(properties, 2));
			workers.add(startWorker(properties, 3));
			round(store, events, accounts, 5, 0);
			round(store, events, accounts, 5, 0);
			Result three = measure(3, store, events, flow, accounts);

			System.out.println();
			System.out.printf(
					"Scale-out benchmark: %d batches (%d per profile, %d profiles) of %d items at delayMs %d, "
							+ "profile min spacing %d ms, worker processes from the executable jar%s; %s%n",
					PROFILES * BATCHES_PER_PROFILE, BATCHES_PER_PROFILE, PROFILES, ITEMS, DELAY_MS,
					MIN_SPACING.toMillis(), overrides.isEmpty() ? "" : " " + String.join(" ", overrides),
					BenchBatches.load());
			System.out.printf("%-8s %-10s %-10s %-10s%n", "workers", "wall_ms", "items/s", "speed-up");
			System.out.printf("%-8d %-10.0f %-10.1f %-10s%n", 1, one.wallMs(), one.itemsPerSecond(), "1.00");
			System.out.printf("%-8d %-10.0f %-10.1f %-10.2f%n", 3, three.wallMs(), three.itemsPerSecond(),
					one.wallMs() / three.wallMs());
			System.out.printf("%-8s %-8s %-7s %-11s %-11s %-16s %-6s%n", "profile", "workers", "starts", "min_gap_ms",
					"p50_gap_ms", "gaps<spacing", "spacing_held");
			int p = 1;
			for (String account : accounts.values()) {
				for (Result result : List.of(one, three)) {
					Gaps gaps = result.gaps().get(account);
					System.out.printf("%-8s %-8d %-7d %-11.1f %-11.1f %-16s %-6s%n", "p" + p, result.workers(),
							gaps.starts(), gaps.min(), gaps.p50(), gaps.below() + "/" + (gaps.starts() - 1),
							(gaps.below() == 0) ? "yes" : "NO");
				}
				p++;
			}
			System.out.println("wall from publishing the batches to the last completed event; gaps between one "
					+ "profile's start arrivals at Flow");
		}
		finally {
			for (ServiceProcess worker : workers) {
				worker.close();
			}
			store.close();
			simulator.close();
		}
	}

	private static ServiceProcess startWorker(Map<String, Object> properties, int number) throws Exception {
		Map<String, Object> own = new LinkedHashMap<>(properties);
		own.put("upscale.worker.instance-id", "bench-worker-" + number);
		return BenchBatches.service("upscale-worker", ServiceProcess.DOCKERFILE_JVM_OPTIONS, own);
	}

	/**
	 * Publishes a round of batches, {@link #BATCHES_PER_PROFILE} per profile, and waits
	 * until all completed.
	 * @return the batch ids
	 */
	private static List<String> round(ConfigurableApplicationContext store, EventsProbe events,
			Map<String, String> accounts, int items, int delayMs) throws InterruptedException {
		GenerationRepository generations = store.getBean(GenerationRepository.class);
		KafkaTemplate<?, ?> kafka = store.getBean(KafkaTemplate.class);
		List<List<io.veoupscale.events.UpscaleRequest>> requests = new ArrayList<>();
		for (int b = 0; b < BATCHES_PER_PROFILE; b++) {
			for (String profile : accounts.keySet()) {
				requests.add(BenchBatches.generations(generations, profile, items));
			}
		}
		List<String> batchIds = new ArrayList<>();
		for (List<io.veoupscale.events.UpscaleRequest> batch : requests) {
			batchIds.add(BenchBatches.publish(kafka, Topics.BATCH_REQUESTS, batch, delayMs));
		}
		for (String batchId : batchIds) {
			BenchBatches.awaitCompleted(events, batchId, Duration.ofMinutes(5));
			long started = events.of(batchId, ItemProgressed.class).stream().filter(ItemProgressed::success).count();
			if (started != items) {
				throw new IllegalStateException("Batch " + batchId + ": " + started + " of " + items + " started");
			}
		}
		return batchIds;
	}

	private static Result measure(int workers, ConfigurableApplicationContext store, EventsProbe events,
			SimulatorAdmin flow, Map<String, String> accounts) throws InterruptedException {
		long start = System.nanoTime();
		List<String> batchIds = round(store, events, accounts, ITEMS, DELAY_MS);
		double wallMs = (System.nanoTime() - start) / 1e6;
		Set<String> scenes = Set.copyOf(store.getBean(JdbcClient.class)
			.sql("select scene_id::text from batch_items where batch_id in (:ids)")
			.param("ids", batchIds)
			.query(String.class)
			.list());
		Map<String, Gaps> gaps = new LinkedHashMap<>();
		List<StartCall> calls = flow.starts();
		for (String account : accounts.values()) {
			List<StartCall> own = calls.stream()
				.filter((call) -> account.equals(call.account()) && scenes.contains(call.sceneId()))
				.toList();
			List<Double> sorted = new ArrayList<>(SimulatorAdmin.gapsBetweenAccepted(own)
				.stream()
				.map((gap) -> gap.toNanos() / 1e6)
				.sorted()
				.toList());
			gaps.put(account,
					new Gaps((int) own.stream().filter(StartCall::accepted).count(), BenchBatches.percentile(sorted, 0),
							BenchBatches.percentile(sorted, 0.5),
							sorted.stream().filter((gap) -> gap < MIN_SPACING.toMillis()).count()));
		}
		return new Result(workers, wallMs, PROFILES * BATCHES_PER_PROFILE * ITEMS / (wallMs / 1000), gaps);
	}

	private record Result(int workers, double wallMs, double itemsPerSecond, Map<String, Gaps> gaps) {
	}

	private record Gaps(int starts, double min, double p50, long below) {
	}

}
