package io.veoupscale.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.veoupscale.gateway.ApiGatewayApplication;
import io.veoupscale.testsupport.Services;
import io.veoupscale.testsupport.TestInfrastructure;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Async batch submissions (10 items each) against the gateway and against a bare Boot
 * endpoint doing the same Kafka send, under the same closed-loop load from this JVM. The
 * two share this JVM's JIT compiler and two cores, so whichever ran later used to be
 * measured warmer (the second of two 15 s phases made 1.5 to 2.9 times the requests of
 * the first, whichever endpoint it was): both warm up in turns, then are measured in
 * rounds ordered gateway, bare, bare, gateway, so that drift favours neither.
 */
final class GatewayBenchmark {

	private static final String API_KEY = "bench-key";

	private static final int CLIENTS = 16;

	private static final Duration WARM_UP = Duration.ofSeconds(10);

	private static final int WARM_UP_TURNS = 2;

	private static final Duration ROUND = Duration.ofSeconds(10);

	private GatewayBenchmark() {
	}

	static void run() throws Exception {
		ConfigurableApplicationContext gateway = Services.run(ApiGatewayApplication.builder(), BenchTracing
			.with(Map.of("upscale.gateway.api-key-hashes", sha256(API_KEY), "logging.level.root", "WARN")));
		ConfigurableApplicationContext bare = new SpringApplicationBuilder(BareSubmitApplication.class)
			.properties("spring.config.name=bare-submit")
			.run("--server.port=0", "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
					"--spring.kafka.producer.acks=all", "--logging.level.root=WARN");
		try {
			String body = body();
			URI gatewayUri = URI.create("http://localhost:" + Services.port(gateway) + "/api/v1/upscale-batches");
			URI bareUri = URI.create("http://localhost:" + Services.port(bare) + "/bare/upscale-batches");
			for (int i = 0; i < WARM_UP_TURNS; i++) {
				load(gatewayUri, body, WARM_UP);
				load(bareUri, body, WARM_UP);
			}
			List<Result> gatewayRounds = new ArrayList<>();
			List<Result> bareRounds = new ArrayList<>();
			gatewayRounds.add(load(gatewayUri, body, ROUND));
			bareRounds.add(load(bareUri, body, ROUND));
			bareRounds.add(load(bareUri, body, ROUND));
			gatewayRounds.add(load(gatewayUri, body, ROUND));
			Result gatewayResult = Result.of(gatewayRounds);
			Result bareResult = Result.of(bareRounds);
			System.out.println();
			System.out.println("Gateway benchmark: async submissions of 10 items, " + CLIENTS + " closed-loop clients, "
					+ "real Kafka (embedded KRaft, acks=all); " + WARM_UP_TURNS + " warm-up turns of "
					+ WARM_UP.toSeconds() + " s each, then rounds of " + ROUND.toSeconds()
					+ " s: gateway, bare, bare, gateway");
			System.out.printf("%-10s %-9s %-9s %-8s %-8s %-7s %s%n", "endpoint", "requests", "req/s", "p50_ms",
					"p99_ms", "errors", "req/s per round");
			print("gateway", gatewayResult, gatewayRounds);
			print("bare", bareResult, bareRounds);
			System.out.printf("gateway/bare: req/s %.2f (target >= 0.50), p99 %.2f (target <= 2.00)%n",
					gatewayResult.perSecond() / bareResult.perSecond(), gatewayResult.p99Ms() / bareResult.p99Ms());
			System.out.println(BenchTracing.describe());
		}
		finally {
			gateway.close();
			bare.close();
		}
	}

	private static void print(String name, Result result, List<Result> rounds) {
		System.out.printf("%-10s %-9d %-9.1f %-8.2f %-8.2f %-7d %s%n", name, result.requests(), result.perSecond(),
				result.p50Ms(), result.p99Ms(), result.errors(),
				rounds.stream().map((round) -> String.format("%.1f", round.perSecond())).toList());
	}

	private static Result load(URI uri, String body, Duration duration) throws InterruptedException {
		HttpClient http = HttpClient.newHttpClient();
		ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
		AtomicLong errors = new AtomicLong();
		long end = System.nanoTime() + duration.toNanos();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		for (int i = 0; i < CLIENTS; i++) {
			clients.execute(() -> {
				HttpRequest request = HttpRequest.newBuilder(uri)
					.header("Content-Type", "application/json")
					.header("Authorization", "Bearer " + API_KEY)
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build();
				while (System.nanoTime() < end) {
					long start = System.nanoTime();
					try {
						HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() == 202) {
							latencies.add(System.nanoTime() - start);
						}
						else {
							errors.incrementAndGet();
						}
					}
					catch (Exception ex) {
						errors.incrementAndGet();
					}
				}
			});
		}
		clients.shutdown();
		clients.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS);
		return new Result(new ArrayList<>(latencies), duration, errors.get());
	}

	private static String body() {
		StringBuilder requests = new StringBuilder();
		for (int i = 1; i <= 10; i++) {
			requests.append((i > 1) ? "," : "").append("{\"sourceGenerationId\":\"bench-gen-").append(i).append("\"}");
		}
		return "{\"requests\":[" + requests + "],\"delayMs\":1500}";
	}

	private static String sha256(String value) throws Exception {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * What one endpoint achieved over one or more periods of load.
	 *
	 * @param latencies the latency of each accepted submission, in nanoseconds
	 * @param duration how long the load ran
	 * @param errors submissions not answered 202
	 */
	private record Result(List<Long> latencies, Duration duration, long errors) {

		static Result of(List<Result> rounds) {
			List<Long> latencies = new ArrayList<>();
			Duration duration = Duration.ZERO;
			long errors = 0;
			for (Result round : rounds) {
				latencies.addAll(round.latencies());
				duration = duration.plus(round.duration());
				errors += round.errors();
			}
			return new Result(latencies, duration, errors);
		}

		long requests() {
			return this.latencies.size();
		}

		double perSecond() {
			return this.latencies.size() / (this.duration.toMillis() / 1000.0);
		}

		double p50Ms() {
			return percentile(0.50);
		}

		double p99Ms() {
			return percentile(0.99);
		}

		private double percentile(double quantile) {
			if (this.latencies.isEmpty()) {
				return Double.NaN;
			}
			List<Long> sorted = new ArrayList<>(this.latencies);
			sorted.sort(Long::compare);
			int index = (int) Math.ceil(quantile * sorted.size()) - 1;
			return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1_000_000.0;
		}

	}

}
