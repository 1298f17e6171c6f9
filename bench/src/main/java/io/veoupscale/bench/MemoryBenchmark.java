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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.store.generation.GenerationRepository;
import io.veoupscale.store.profile.ProfileRepository;
import io.veoupscale.testsupport.ServiceProcess;
import io.veoupscale.testsupport.TestInfrastructure;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * What each service costs in memory, as deployed: the gateway, a worker, the poller and
 * the simulator each in a JVM of its own from its executable jar with the Dockerfile's
 * JVM options. Resident set size from {@code /proc/<pid>/status} and heap used from the
 * actuator, at rest after a warm-up and while the gateway takes batch submissions that
 * the worker starts and the poller follows.
 */
final class MemoryBenchmark {

	private static final String API_KEY = "bench-memory-key";

	private static final int CLIENTS = 4;

	private static final int ITEMS = 10;

	private static final Duration WARM_UP = Duration.ofSeconds(15);

	private static final Duration IDLE = Duration.ofSeconds(10);

	private static final Duration LOAD = Duration.ofSeconds(30);

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private MemoryBenchmark() {
	}

	static void run(String[] args) throws Exception {
		List<String> jvm = ServiceProcess.DOCKERFILE_JVM_OPTIONS;
		Map<String, ServiceProcess> services = new LinkedHashMap<>();
		ConfigurableApplicationContext store = BenchStore.start();
		try {
			ServiceProcess simulator = BenchBatches.service("flow-simulator", jvm,
					Map.of("management.endpoints.web.exposure.include", "health,metrics"));
			Map<String, Object> common = new LinkedHashMap<>(TestInfrastructure.springProperties());
			common.put("flow.api-base-url", simulator.url());
			common.put("flow.labs-base-url", simulator.url() + "/fx");
			Map<String, Object> gateway = new LinkedHashMap<>(common);
			gateway.put("upscale.gateway.api-key-hashes", sha256(API_KEY));
			services.put("api-gateway", BenchBatches.service("api-gateway", jvm, gateway));
			Map<String, Object> worker = new LinkedHashMap<>(common);
			worker.put("upscale.worker.profile-min-spacing", "0ms");
			services.put("upscale-worker", BenchBatches.service("upscale-worker", jvm, worker));
			services.put("status-poller", BenchBatches.service("status-poller", jvm, common));
			services.put("flow-simulator", simulator);

			String profile = "bench-m-" + java.util.UUID.randomUUID().toString().substring(0, 6);
			BenchBatches.profile(store.getBean(ProfileRepository.class), profile);
			List<UpscaleRequest> items = BenchBatches.generations(store.getBean(GenerationRepository.class), profile,
					ITEMS);
			String body = UpscaleJson.write(Map.of("requests", items, "delayMs", 0));
			URI submit = URI.create(services.get("api-gateway").url() + "/api/v1/upscale-batches");

			submit(submit, body, WARM_UP, services, new LinkedHashMap<>());
			Thread.sleep(IDLE.toMillis());
			Map<String, Sample> rest = new LinkedHashMap<>();
			sample(services, rest);
			String restLoad = BenchBatches.load();
			Map<String, Sample> peak = new LinkedHashMap<>();
			long submitted = submit(submit, body, LOAD, services, peak);
			String loadLoad = BenchBatches.load();

			System.out.println();
			System.out.printf("Memory benchmark: each service its own JVM from its executable jar with %s; rest = "
					+ "%ds idle after %ds of submissions; load = peak over %ds of submissions (%d clients, %d items "
					+ "each, delayMs 0; %d accepted)%n", String.join(" ", jvm), IDLE.toSeconds(), WARM_UP.toSeconds(),
					LOAD.toSeconds(), CLIENTS, ITEMS, submitted);
			System.out.println("at rest: " + restLoad + "; under load (end): " + loadLoad);
			System.out.printf("%-16s %-14s %-15s %-14s %-15s%n", "service", "rest_rss_MiB", "rest_heap_MiB",
					"load_rss_MiB", "load_heap_MiB");
			for (String name : services.keySet()) {
				Sample atRest = rest.get(name);
				Sample loaded = peak.get(name);
				System.out.printf("%-16s %-14.0f %-15.0f %-14.0f %-15.0f%n", name, atRest.rssKib() / 1024.0,
						atRest.heapBytes() / 1048576.0, loaded.rssKib() / 1024.0, loaded.heapBytes() / 1048576.0);
			}
			System.out.println("RSS = VmRSS of /proc/<pid>/status; heap = jvm.memory.used{area=heap}; "
					+ "load figures are the highest of samples taken every second");
		}
		finally {
			for (ServiceProcess service : services.values()) {
				service.close();
			}
			store.close();
		}
	}

	/**
	 * Closed-loop submissions for a while, sampling every service's memory each second
	 * into {@code peaks}.
	 * @return the submissions the gateway accepted
	 */
	private static long submit(URI uri, String body, Duration duration, Map<String, ServiceProcess> services,
			Map<String, Sample> peaks) throws Exception {
		AtomicLong accepted = new AtomicLong();
		long end = System.nanoTime() + duration.toNanos();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		HttpRequest request = HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + API_KEY)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		for (int i = 0; i < CLIENTS; i++) {
			clients.execute(() -> {
				while (System.nanoTime() < end) {
					try {
						if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 202) {
							accepted.incrementAndGet();
						}
					}
					catch (Exception ex) {
						// counted as not accepted
					}
				}
			});
		}
		while (System.nanoTime() < end) {
			sample(services, peaks);
			Thread.sleep(1000);
		}
		clients.shutdown();
		clients.awaitTermination(30, TimeUnit.SECONDS);
		return accepted.get();
	}

	/**
	 * Reads each service's RSS and heap used, keeping the highest seen per service.
	 */
	private static void sample(Map<String, ServiceProcess> services, Map<String, Sample> peaks) throws Exception {
		for (Map.Entry<String, ServiceProcess> service : services.entrySet()) {
			Sample now = new Sample(service.getValue().rssKib(), heapUsed(service.getValue()));
			peaks.merge(service.getKey(), now,
					(a, b) -> new Sample(Math.max(a.rssKib(), b.rssKib()), Math.max(a.heapBytes(), b.heapBytes())));
		}
	}

	private static double heapUsed(ServiceProcess service) {
		try {
			HttpResponse<String> response = HTTP.send(HttpRequest
				.newBuilder(URI.create(service.url() + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
				.header("Authorization", "Bearer " + API_KEY)
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				return Double.NaN;
			}
			return UpscaleJson.mapper().readTree(response.body()).path("measurements").path(0).path("value").asDouble();
		}
		catch (Exception ex) {
			return Double.NaN;
		}
	}

	private static String sha256(String value) throws Exception {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
	}

	private record Sample(long rssKib, double heapBytes) {
	}

}
