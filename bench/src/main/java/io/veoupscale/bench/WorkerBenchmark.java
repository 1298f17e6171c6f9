package io.veoupscale.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.store.generation.GenerationRepository;
import io.veoupscale.store.profile.ProfileRepository;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.Services;
import io.veoupscale.testsupport.TestInfrastructure;
import io.veoupscale.worker.UpscaleWorkerApplication;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * What the worker's guarantees cost at full speed: batches at {@code delayMs} 0 against a
 * simulator (its own JVM) that answers at once, through the real worker and through a
 * bare kafka-clients + JDBC loop doing the same reads and writes per item, in alternating
 * rounds after a warm-up batch each. Items per second from the request's publication to
 * the batch's {@code completed} event on the events topic.
 */
final class WorkerBenchmark {

	private static final int ITEMS = 200;

	private static final int ROUNDS = 3;

	private static final String BARE_TOPIC = "bench.bare.batch-requests";

	private static final Duration TIMEOUT = Duration.ofMinutes(5);

	private WorkerBenchmark() {
	}

	static void run(String[] args) throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(BARE_TOPIC, 1, (short) 1))).all().get();
		}
		SimulatorProcess simulator = SimulatorProcess.start();
		ConfigurableApplicationContext worker = Services.run(UpscaleWorkerApplication.builder(),
				BenchTracing.with(Map.of("flow.api-base-url", simulator.url(), "flow.labs-base-url",
						simulator.url() + "/fx", "upscale.worker.profile-min-spacing", "0ms",
						"upscale.worker.claim-interval", "50ms", "logging.level.root", "WARN",
						"spring.kafka.consumer.group-id", "bench-" + UUID.randomUUID())));
		String profile = "bench-" + UUID.randomUUID().toString().substring(0, 8);
		String session = BenchBatches.profile(worker.getBean(ProfileRepository.class), profile);
		GenerationRepository generations = worker.getBean(GenerationRepository.class);
		KafkaTemplate<?, ?> kafka = worker.getBean(KafkaTemplate.class);
		BareWorkerLoop bare = new BareWorkerLoop(BARE_TOPIC, simulator.url(), Map.of(profile, session));
		bare.start();
		try (EventsProbe events = EventsProbe.start()) {
			Side real = new Side("worker", Topics.BATCH_REQUESTS, new ArrayList<>());
			Side baseline = new Side("bare loop", BARE_TOPIC, new ArrayList<>());
			real.batch(kafka, events, generations, profile);
			baseline.batch(kafka, events, generations, profile);
			List<double[]> rows = new ArrayList<>();
			for (int round = 1; round <= ROUNDS; round++) {
				rows.add(new double[] { round, real.batch(kafka, events, generations, profile),
						baseline.batch(kafka, events, generations, profile) });
			}
			System.out.println();
			System.out.printf(
					"Worker benchmark: %d items per batch at delayMs 0, Flow simulator (own JVM) answering "
							+ "at once, %d alternating rounds after one warm-up batch each; %s%n",
					ITEMS, ROUNDS, BenchBatches.load());
			System.out.printf("%-6s %-16s %-16s %-8s%n", "round", "worker_items/s", "bare_items/s", "ratio");
			List<Double> ratios = new ArrayList<>();
			for (double[] row : rows) {
				double ratio = ITEMS / row[1] / (ITEMS / row[2]);
				ratios.add(ratio);
				System.out.printf("%-6d %-16.1f %-16.1f %-8.2f%n", (int) row[0], ITEMS / row[1], ITEMS / row[2], ratio);
			}
			ratios.sort(Double::compare);
			double workerTotal = rows.stream().mapToDouble((row) -> row[1]).sum();
			double bareTotal = rows.stream().mapToDouble((row) -> row[2]).sum();
			System.out.printf("all    %-16.1f %-16.1f %-8.2f (median ratio %.2f)%n", ROUNDS * ITEMS / workerTotal,
					ROUNDS * ITEMS / bareTotal, bareTotal / workerTotal, BenchBatches.percentile(ratios, 0.5));
			System.out.println("items/s from publishing the request to the batch's completed event on the topic; "
					+ "ratio = worker / bare loop");
			System.out.println(BenchTracing.describe());
			printPhases(worker.getBean(JdbcClient.class), real.batchIds());
			Timer turns = worker.getBean(MeterRegistry.class).get("upscale.turn.transaction").timer();
			System.out.printf("turn transaction: %d taken, mean %.2f ms%n", turns.count(),
					turns.mean(TimeUnit.MILLISECONDS));
		}
		finally {
			bare.close();
			worker.close();
			simulator.close();
		}
	}

	/**
	 * Where the worker's time per item went, from the instants it recorded on each item
	 * of the measured batches: from Flow's answer to an item to the next item's turn
	 * (validation, the scheduler, the transaction that takes the turn), from the turn to
	 * the wire, and the round trip at Flow.
	 */
	private static void printPhases(JdbcClient sql, List<String> batchIds) {
		List<Double> toTurn = new ArrayList<>();
		List<Double> toWire = new ArrayList<>();
		List<Double> roundTrip = new ArrayList<>();
		for (String batchId : batchIds.subList(1, batchIds.size())) {
			List<Instant[]> items = sql.sql("""
					select attempt_started_at, sent_at, answered_at from batch_items
					where batch_id = :id order by item_index
					""")
				.param("id", batchId)
				.query((rs,
						row) -> new Instant[] { rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant(),
								rs.getTimestamp(3).toInstant() })
				.list();
			for (int i = 0; i < items.size(); i++) {
				if (i > 0) {
					toTurn.add(Duration.between(items.get(i - 1)[2], items.get(i)[0]).toNanos() / 1e6);
				}
				toWire.add(Duration.between(items.get(i)[0], items.get(i)[1]).toNanos() / 1e6);
				roundTrip.add(Duration.between(items.get(i)[1], items.get(i)[2]).toNanos() / 1e6);
			}
		}
		toTurn.sort(Double::compare);
		toWire.sort(Double::compare);
		roundTrip.sort(Double::compare);
		System.out.printf(
				"worker per item, p50 (p90) in ms: answer to next turn %.2f (%.2f), turn to wire %.2f (%.2f), "
						+ "round trip %.2f (%.2f)%n",
				BenchBatches.percentile(toTurn, 0.5), BenchBatches.percentile(toTurn, 0.9),
				BenchBatches.percentile(toWire, 0.5), BenchBatches.percentile(toWire, 0.9),
				BenchBatches.percentile(roundTrip, 0.5), BenchBatches.percentile(roundTrip, 0.9));
	}

	/**
	 * One side of the comparison: where its requests go, and the batches it ran.
	 */
	private record Side(String name, String topic, List<String> batchIds) {

		/**
		 * Runs one batch through this side and checks that every item started.
		 * @return its wall time in seconds
		 */
		double batch(KafkaTemplate<?, ?> kafka, EventsProbe events, GenerationRepository generations, String profile)
				throws InterruptedException {
			List<UpscaleRequest> requests = BenchBatches.generations(generations, profile, ITEMS);
			long start = System.nanoTime();
			String batchId = BenchBatches.publish(kafka, this.topic, requests, 0);
			this.batchIds.add(batchId);
			long end = BenchBatches.awaitCompleted(events, batchId, TIMEOUT);
			long started = events.of(batchId, ItemProgressed.class).stream().filter(ItemProgressed::success).count();
			if (started != ITEMS) {
				throw new IllegalStateException(this.name + ": " + started + " of " + ITEMS + " items started");
			}
			return (end - start) / 1e9;
		}

	}

}
