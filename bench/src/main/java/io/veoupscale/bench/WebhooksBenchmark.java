package io.veoupscale.bench;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.gateway.ApiGatewayApplication;
import io.veoupscale.store.outbox.BatchEventPublisher;
import io.veoupscale.store.webhook.WebhookSubscriptions;
import io.veoupscale.testsupport.Services;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Webhooks against the SSE stream: events stored through the outbox (as the worker stores
 * them) reach a webhook receiver on loopback (the JDK's HttpServer, answering 204) and an
 * SSE client of the same gateway. First at a steady rate, for the latency of each path
 * from the event's occurredAt; then as a burst over many batches, for deliveries per
 * second. Arguments:
 * {@code [events/s] [seconds] [burst events] [sender threads] [poll interval]}.
 */
final class WebhooksBenchmark {

	private static final String API_KEY = "bench-webhooks-key";

	private static final int BURST_BATCHES = 100;

	private WebhooksBenchmark() {
	}

	static void run(String[] args) throws Exception {
		int rate = (args.length > 0) ? Integer.parseInt(args[0]) : 50;
		int seconds = (args.length > 1) ? Integer.parseInt(args[1]) : 20;
		int burst = (args.length > 2) ? Integer.parseInt(args[2]) : 5000;
		String threads = (args.length > 3) ? args[3] : "4";
		String pollInterval = (args.length > 4) ? args[4] : "500ms";
		Map<String, Instant> webhookArrivals = new ConcurrentHashMap<>();
		HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/hooks", (exchange) -> {
			try (exchange) {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				webhookArrivals.putIfAbsent(UpscaleJson.read(body, BatchEvent.class).eventId(), Instant.now());
				exchange.sendResponseHeaders(204, -1);
			}
		});
		receiver.setExecutor(Executors.newFixedThreadPool(16));
		receiver.start();
		ConfigurableApplicationContext gateway = Services.run(ApiGatewayApplication.builder(),
				Map.of("upscale.gateway.api-key-hashes", Services.apiKeyHash(API_KEY), "logging.level.root", "WARN",
						"upscale.webhooks.allowed-cidrs", "127.0.0.0/8", "upscale.webhooks.sender.threads", threads,
						"upscale.webhooks.sender.poll-interval", pollInterval));
		Map<String, Instant> sseArrivals = new ConcurrentHashMap<>();
		HttpResponse<Stream<String>> stream = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + Services.port(gateway) + "/api/v1/events"))
				.header("Authorization", "Bearer " + API_KEY)
				.header("Accept", "text/event-stream")
				.build(), HttpResponse.BodyHandlers.ofLines());
		Thread sseThread = new Thread(() -> {
			try {
				stream.body().forEach((line) -> {
					if (line.startsWith("data:")) {
						sseArrivals.putIfAbsent(UpscaleJson.read(line.substring(5).trim(), BatchEvent.class).eventId(),
								Instant.now());
					}
				});
			}
			catch (UncheckedIOException ex) {
				// the stream closed at the end of the run
			}
		}, "bench-sse-client");
		sseThread.setDaemon(true);
		sseThread.start();
		String subscription = gateway.getBean(WebhookSubscriptions.class)
			.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks", List.of(ItemProgressed.TYPE),
					null, "webhooks benchmark")
			.subscription()
			.id();
		BatchEventPublisher publisher = gateway.getBean(BatchEventPublisher.class);
		TransactionTemplate transactions = gateway.getBean(TransactionTemplate.class);
		String run = UUID.randomUUID().toString().substring(0, 8);
		try {
			// Warm-up, not measured.
			List<ItemProgressed> warmUp = publishSteadily(publisher, transactions, "warm-" + run, rate, 3);
			await(webhookArrivals, warmUp, Duration.ofMinutes(2));

			List<ItemProgressed> steady = publishSteadily(publisher, transactions, "steady-" + run, rate, seconds);
			await(webhookArrivals, steady, Duration.ofMinutes(5));
			await(sseArrivals, steady, Duration.ofSeconds(30));

			List<ItemProgressed> burstEvents = new ArrayList<>();
			Instant burstStart = Instant.now();
			for (int i = 0; i < burst; i += 100) {
				List<ItemProgressed> chunk = new ArrayList<>();
				for (int j = i; j < Math.min(burst, i + 100); j++) {
					chunk.add(event("burst-" + run + "-" + (j % BURST_BATCHES), j / BURST_BATCHES + 1));
				}
				transactions.executeWithoutResult((status) -> chunk.forEach(publisher::publish));
				burstEvents.addAll(chunk);
			}
			Instant published = Instant.now();
			await(webhookArrivals, burstEvents, Duration.ofMinutes(10));
			Instant lastDelivery = burstEvents.stream()
				.map((event) -> webhookArrivals.get(event.eventId()))
				.max(Instant::compareTo)
				.orElseThrow();

			System.out.println();
			System.out.printf(
					"Webhooks benchmark: one subscription (progress events) to a loopback receiver answering 204, gateway "
							+ "SSE client in the same JVM; sender threads %s, poll interval %s; %s%n",
					threads, pollInterval, BenchBatches.load());
			System.out.printf("%-26s %-7s %-9s %-9s %-9s%n", "path (from occurredAt)", "events", "p50_ms", "p99_ms",
					"max_ms");
			row("SSE client", latencies(steady, sseArrivals));
			row("webhook receiver", latencies(steady, webhookArrivals));
			double burstSeconds = Duration.between(burstStart, lastDelivery).toNanos() / 1e9;
			System.out.printf(
					"steady: %d events/s for %d s; burst: %d events over %d batches stored in %.2f s, all "
							+ "delivered %.2f s after the first was stored: %.0f deliveries/s%n",
					rate, seconds, burst, BURST_BATCHES, Duration.between(burstStart, published).toNanos() / 1e9,
					burstSeconds, burst / burstSeconds);
		}
		finally {
			gateway.getBean(WebhookSubscriptions.class).delete(subscription);
			stream.body().close();
			gateway.close();
			receiver.stop(0);
		}
	}

	private static List<ItemProgressed> publishSteadily(BatchEventPublisher publisher, TransactionTemplate transactions,
			String prefix, int rate, int seconds) throws InterruptedException {
		List<ItemProgressed> events = new ArrayList<>();
		long start = System.nanoTime();
		long interval = 1_000_000_000L / rate;
		for (int i = 0; i < rate * seconds; i++) {
			long due = start + i * interval;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
			}
			ItemProgressed event = event(prefix + "-" + (i % 10), i / 10 + 1);
			transactions.executeWithoutResult((status) -> publisher.publish(event));
			events.add(event);
		}
		return events;
	}

	private static ItemProgressed event(String batchId, int index) {
		return ItemProgressed.failed(batchId, index, 100_000, "bench-gen-" + index, "benchmark",
				UUID.randomUUID().toString(), Instant.now());
	}

	private static void await(Map<String, Instant> arrivals, List<ItemProgressed> events, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (events.stream().anyMatch((event) -> !arrivals.containsKey(event.eventId()))) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Not every event arrived within " + timeout);
			}
			Thread.sleep(20);
		}
	}

	private static List<Double> latencies(List<ItemProgressed> events, Map<String, Instant> arrivals) {
		List<Double> latencies = new ArrayList<>();
		for (ItemProgressed event : events) {
			Instant arrival = arrivals.get(event.eventId());
			if (arrival != null) {
				latencies.add(Duration.between(event.occurredAt(), arrival).toNanos() / 1_000_000.0);
			}
		}
		latencies.sort(Double::compare);
		return latencies;
	}

	private static void row(String path, List<Double> latencies) {
		System.out.printf("%-26s %-7d %-9.2f %-9.2f %-9.2f%n", path, latencies.size(),
				BenchBatches.percentile(latencies, 0.50), BenchBatches.percentile(latencies, 0.99),
				latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1));
	}

}
