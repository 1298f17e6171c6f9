package io.veoupscale.bench;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.gateway.ApiGatewayApplication;
import io.veoupscale.store.generation.GenerationRepository;
import io.veoupscale.store.profile.ProfileRepository;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.Services;
import io.veoupscale.testsupport.TestInfrastructure;
import io.veoupscale.worker.UpscaleWorkerApplication;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * How late a dashboard sees an event: batches run by a real worker, their events read
 * both by an SSE client of the gateway ({@code GET /api/v1/events}) and by a plain Kafka
 * consumer of the events topic, in the same JVM at the same time, so that what the SSE
 * layer adds is the difference between the two for the same event.
 */
final class EventsBenchmark {

	private static final String API_KEY = "bench-events-key";

	private static final int BATCHES = 3;

	private static final int ITEMS = 100;

	private static final int DELAY_MS = 50;

	private EventsBenchmark() {
	}

	static void run(String[] args) throws Exception {
		SimulatorProcess simulator = SimulatorProcess.start();
		ConfigurableApplicationContext gateway = Services.run(ApiGatewayApplication.builder(),
				Map.of("upscale.gateway.api-key-hashes", sha256(API_KEY), "logging.level.root", "WARN"));
		ConfigurableApplicationContext worker = Services.run(UpscaleWorkerApplication.builder(),
				Map.of("flow.api-base-url", simulator.url(), "flow.labs-base-url", simulator.url() + "/fx",
						"upscale.worker.profile-min-spacing", "0ms", "upscale.worker.claim-interval", "50ms",
						"logging.level.root", "WARN", "spring.kafka.consumer.group-id", "bench-" + UUID.randomUUID()));
		String profile = "bench-" + UUID.randomUUID().toString().substring(0, 8);
		BenchBatches.profile(worker.getBean(ProfileRepository.class), profile);
		GenerationRepository generations = worker.getBean(GenerationRepository.class);
		KafkaTemplate<?, ?> kafka = worker.getBean(KafkaTemplate.class);
		Receiver consumer = new Receiver();
		Receiver sse = new Receiver();
		Thread consumerThread = new Thread(() -> consume(consumer), "bench-events-consumer");
		consumerThread.setDaemon(true);
		consumerThread.start();
		HttpResponse<Stream<String>> stream = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + Services.port(gateway) + "/api/v1/events"))
				.header("Authorization", "Bearer " + API_KEY)
				.header("Accept", "text/event-stream")
				.build(), HttpResponse.BodyHandlers.ofLines());
		if (stream.statusCode() != 200) {
			throw new IllegalStateException("SSE stream refused: " + stream.statusCode());
		}
		Thread sseThread = new Thread(() -> {
			try {
				stream.body().forEach((line) -> {
					if (line.startsWith("data:")) {
						sse.received(UpscaleJson.read(line.substring(5).trim(), BatchEvent.class), 0);
					}
				});
			}
			catch (UncheckedIOException ex) {
				// the stream closed at the end of the run
			}
		}, "bench-sse-client");
		sseThread.setDaemon(true);
		sseThread.start();
		try (EventsProbe events = EventsProbe.start()) {
			String warmUp = BenchBatches.publish(kafka, Topics.BATCH_REQUESTS,
					BenchBatches.generations(generations, profile, 20), 0);
			BenchBatches.awaitCompleted(events, warmUp, Duration.ofMinutes(5));
			List<String> measured = new ArrayList<>();
			for (int i = 0; i < BATCHES; i++) {
				String batchId = BenchBatches.publish(kafka, Topics.BATCH_REQUESTS,
						BenchBatches.generations(generations, profile, ITEMS), DELAY_MS);
				BenchBatches.awaitCompleted(events, batchId, Duration.ofMinutes(5));
				measured.add(batchId);
			}
			Set<String> batches = Set.copyOf(measured);
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while ((sse.count(batches) < consumer.count(batches) || consumer.count(batches) < BATCHES * (ITEMS + 2))
					&& System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			print(consumer, sse, batches);
		}
		finally {
			stream.body().close();
			worker.close();
			gateway.close();
			simulator.close();
		}
	}

	private static void print(Receiver consumer, Receiver sse, Set<String> batches) {
		List<Double> consumerFromEvent = new ArrayList<>();
		List<Double> sseFromEvent = new ArrayList<>();
		List<Double> consumerFromRecord = new ArrayList<>();
		List<Double> sseFromRecord = new ArrayList<>();
		List<Double> added = new ArrayList<>();
		consumer.arrivals.forEach((eventId, arrival) -> {
			if (!batches.contains(arrival.batchId())) {
				return;
			}
			consumerFromEvent.add(millis(arrival.occurredAt(), arrival.receivedAt()));
			consumerFromRecord.add(millis(Instant.ofEpochMilli(arrival.recordTimestamp()), arrival.receivedAt()));
			Arrival viaSse = sse.arrivals.get(eventId);
			if (viaSse != null) {
				sseFromEvent.add(millis(viaSse.occurredAt(), viaSse.receivedAt()));
				sseFromRecord.add(millis(Instant.ofEpochMilli(arrival.recordTimestamp()), viaSse.receivedAt()));
				added.add(millis(arrival.receivedAt(), viaSse.receivedAt()));
			}
		});
		System.out.println();
		System.out.printf(
				"Events benchmark: %d batches of %d items at delayMs %d by one worker, gateway SSE client and Kafka "
						+ "consumer in one JVM; %s%n",
				BATCHES, ITEMS, DELAY_MS, BenchBatches.load());
		System.out.printf("%-16s %-28s %-7s %-9s %-9s %-9s%n", "receiver", "from", "events", "p50_ms", "p99_ms",
				"max_ms");
		row("kafka consumer", "event occurredAt", consumerFromEvent);
		row("SSE client", "event occurredAt", sseFromEvent);
		row("kafka consumer", "record timestamp (relay)", consumerFromRecord);
		row("SSE client", "record timestamp (relay)", sseFromRecord);
		row("SSE - consumer", "same event", added);
	}

	private static void row(String receiver, String from, List<Double> latencies) {
		latencies.sort(Double::compare);
		System.out.printf("%-16s %-28s %-7d %-9.2f %-9.2f %-9.2f%n", receiver, from, latencies.size(),
				BenchBatches.percentile(latencies, 0.50), BenchBatches.percentile(latencies, 0.99),
				latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1));
	}

	private static void consume(Receiver receiver) {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-events-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(Topics.BATCH_EVENTS));
			while (true) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					receiver.received(UpscaleJson.read(record.value(), BatchEvent.class), record.timestamp());
				}
			}
		}
	}

	private static double millis(Instant from, Instant to) {
		return Duration.between(from, to).toNanos() / 1_000_000.0;
	}

	private static String sha256(String value) throws Exception {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * The first arrival of each event at one receiver.
	 */
	private static final class Receiver {

		private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();

		void received(BatchEvent event, long recordTimestamp) {
			this.arrivals.putIfAbsent(event.eventId(),
					new Arrival(event.batchId(), event.occurredAt(), Instant.now(), recordTimestamp));
		}

		long count(Set<String> batches) {
			return this.arrivals.values().stream().filter((arrival) -> batches.contains(arrival.batchId())).count();
		}

	}

	private record Arrival(String batchId, Instant occurredAt, Instant receivedAt, long recordTimestamp) {
	}

}
