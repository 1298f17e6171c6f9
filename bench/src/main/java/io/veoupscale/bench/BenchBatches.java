package io.veoupscale.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.store.generation.GenerationRepository;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.ProfileRepository;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.ServiceProcess;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Seeding and running batches the way every benchmark does: a logged-in profile with live
 * cookies, completed generations, a batch request on a topic, and the wait for its
 * {@code completed} event.
 */
final class BenchBatches {

	private BenchBatches() {
	}

	/**
	 * Saves a logged-in profile whose session cookie is {@code session-<id>}.
	 * @return the session cookie
	 */
	static String profile(ProfileRepository profiles, String id) {
		String session = "session-" + id;
		profiles.save(id, id, true, new FlowCookies(session, Instant.now().plus(Duration.ofDays(1))));
		return session;
	}

	/**
	 * Saves completed generations of a profile and returns them as batch items.
	 */
	static List<UpscaleRequest> generations(GenerationRepository generations, String profile, int count) {
		List<UpscaleRequest> requests = new ArrayList<>();
		String prefix = profile + "-" + UUID.randomUUID().toString().substring(0, 6);
		for (int i = 1; i <= count; i++) {
			String id = prefix + "-" + i;
			generations.save(id, "bench", profile, "completed", "media-" + id, "flow-bench");
			requests.add(new UpscaleRequest(id, null));
		}
		return requests;
	}

	/**
	 * Publishes a batch request and waits for Kafka's acknowledgement.
	 * @return the batch id
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static String publish(KafkaTemplate kafka, String topic, List<UpscaleRequest> requests, int delayMs) {
		String batchId = "bench-" + UUID.randomUUID();
		kafka.send(topic, batchId, UpscaleJson.write(new BatchRequested(batchId, requests, delayMs, Instant.now())))
			.join();
		return batchId;
	}

	/**
	 * Waits until the batch's {@code completed} event was seen on the events topic.
	 * @return when the probe saw it (nanoTime)
	 */
	static long awaitCompleted(EventsProbe events, String batchId, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (events.of(batchId, BatchCompleted.class).isEmpty()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Batch " + batchId + " did not complete in " + timeout);
			}
			Thread.sleep(5);
		}
		return System.nanoTime();
	}

	/**
	 * The value at a quantile of sorted samples (nearest rank).
	 */
	static double percentile(List<Double> sorted, double quantile) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(quantile * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

	/**
	 * The load average line of {@code /proc/loadavg}, to print beside every figure.
	 */
	static String load() {
		try {
			String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
			return "load average " + fields[0] + ", " + fields[1] + ", " + fields[2];
		}
		catch (java.io.IOException ex) {
			return "load average unknown";
		}
	}

	/**
	 * Starts a module's executable jar as the Dockerfile runs it (or with the given
	 * options), logging at WARN to {@code bench-<module>-<port>.log}, and waits until it
	 * is ready.
	 * @param module the module, e.g. {@code upscale-worker}
	 * @param jvmOptions options before {@code -jar}
	 * @param properties Spring properties
	 * @return the ready service
	 */
	static ServiceProcess service(String module, List<String> jvmOptions, Map<String, ?> properties)
			throws InterruptedException {
		Map<String, Object> quiet = new LinkedHashMap<>(properties);
		quiet.putIfAbsent("logging.level.root", "WARN");
		String name = module + "-" + UUID.randomUUID().toString().substring(0, 8);
		ServiceProcess service = ServiceProcess.launch(module, name, jvmOptions, quiet,
				Path.of("bench-" + name + ".log"));
		try {
			return service.awaitReady(Duration.ofSeconds(180));
		}
		catch (RuntimeException | InterruptedException ex) {
			service.kill();
			throw ex;
		}
	}

}
