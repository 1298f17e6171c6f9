package io.veoupscale.fault;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Scenario 2a: fuzzed HTTP requests at the gateway (bad JSON, wrong types, huge arrays,
 * odd unicode, missing or invalid API keys, wrong content types and methods, odd paths).
 * Bad input is the caller's fault: not one answer may be a 5xx.
 */
final class GatewayFuzz {

	private static final List<String> MODELS = List.of("veo_2_1080p_upsampler_8s", "veo_3_1_upsampler_4k", "", "x",
			"VEO_2_1080P_UPSAMPLER_8S");

	private static final List<String> ODD = List.of("\\u0000", "\\ud800", "\\udfff",
			"\u202e\u0645\u0631\u062d\u0628\u0627", "\u200b\u200d\ufeff", "\ud83d\ude00\ud83c\udfa5",
			"e\u0301\u0301\u0301", "\\\\", "\\\"", "%00", "../../etc/passwd", "'; drop table batches; --",
			"\u0085\u2028\u2029", "\uffff\ufffe", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢");

	private final FaultSystem system;

	private final int requests;

	private final Random random;

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	GatewayFuzz(FaultSystem system, int requests, long seed) {
		this.system = system;
		this.requests = requests;
		this.random = new Random(seed);
	}

	Outcome run() throws Exception {
		Outcome.Builder outcome = new Outcome.Builder("2a gateway fuzz");
		java.time.Instant started = java.time.Instant.now();
		List<Fuzzed> cases = new ArrayList<>();
		for (int i = 0; i < this.requests; i++) {
			cases.add(next());
		}
		FaultSystem.log("scenario 2: " + this.requests + " fuzzed requests at the gateway");
		Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
		ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<String> transportErrors = new ConcurrentLinkedQueue<>();
		AtomicLong unsendable = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		for (Fuzzed fuzzed : cases) {
			pool.submit(() -> {
				HttpRequest request;
				try {
					request = fuzzed.request(this.system.gateway.url());
				}
				catch (IllegalArgumentException ex) {
					// The JDK client refuses some header values and URIs: nothing to
					// send.
					unsendable.incrementAndGet();
					return;
				}
				try {
					HttpResponse<Void> response = this.http.send(request, HttpResponse.BodyHandlers.discarding());
					byStatus.computeIfAbsent(response.statusCode(), (status) -> new AtomicLong()).incrementAndGet();
					if (response.statusCode() >= 500) {
						serverErrors.add(response.statusCode() + " " + fuzzed.describe());
					}
				}
				catch (IOException ex) {
					transportErrors.add(ex.getClass().getSimpleName() + " " + fuzzed.describe());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
		pool.shutdown();
		boolean finished = pool.awaitTermination(20, TimeUnit.MINUTES);
		long fiveHundreds = serverErrors.size();
		String statuses = byStatus.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.map((entry) -> entry.getKey() + ":" + entry.getValue())
			.collect(Collectors.joining(" "));
		outcome.figure("requests", this.requests)
			.figure("5xx", fiveHundreds)
			.figure("statuses", statuses)
			.figure("transport errors", transportErrors.size())
			.figure("unsendable", unsendable.get())
			.figure("time", Figures.seconds(Duration.between(started, java.time.Instant.now())));
		outcome.check(finished, "the requests did not finish within 20 minutes")
			.check(fiveHundreds == 0,
					fiveHundreds + " answers were 5xx, e.g. " + serverErrors.stream().distinct().limit(5).toList());
		if (!transportErrors.isEmpty()) {
			FaultSystem.log("transport errors, e.g. " + transportErrors.stream().distinct().limit(5).toList());
		}
		return outcome.build();
	}

	private Fuzzed next() {
		int kind = this.random.nextInt(10);
		String auth = auth();
		String type = contentType();
		return switch (kind) {
			case 0 -> new Fuzzed("POST", batchPath(), auth, type, badJson(), "bad JSON");
			case 1 -> new Fuzzed("POST", batchPath(), auth, type, wrongTypes(), "wrong types");
			case 2 -> new Fuzzed("POST", batchPath(), auth, type, hugeArray(), "huge array");
			case 3 -> new Fuzzed("POST", batchPath(), auth, type, oddUnicode(), "odd unicode");
			case 4 -> new Fuzzed(method(), anyPath(), auth, type, anyBody(), "method and path");
			case 5 -> new Fuzzed("PUT", "/api/v1/profiles/" + id(), auth, type, profileBody(), "profile body");
			case 6 -> new Fuzzed("PUT", "/api/v1/generations/" + id(), auth, type, generationBody(), "generation body");
			case 7 -> new Fuzzed("GET", queryPath(), auth, null, null, "query");
			case 8 -> new Fuzzed("POST", batchPath(), null, "application/json", validishBatch(), "no key");
			default -> new Fuzzed("POST", batchPath(), auth, type, rawBytes(), "raw bytes");
		};
	}

	private String batchPath() {
		return pick("/api/v1/upscale-batches", "/api/v1/upscale-batches", "/api/v1/upscale-batches/sync",
				"/api/v1/upscale-batches/", "/api/v1//upscale-batches");
	}

	private String anyPath() {
		return pick("/api/v1/upscale-batches", "/api/v1/upscale-batches/sync", "/api/v1/upscale-batches/" + id(),
				"/api/v1/generations", "/api/v1/generations/" + id(), "/api/v1/profiles/" + id(),
				"/api/v1/upscales/" + id(), "/api/v1/nothing-here", "/api/v2/upscale-batches", "/api",
				"/api/v1/upscale-batches/%2e%2e/%2e%2e/actuator", "/actuator/env", "/actuator/prometheus", "/",
				"/index.html", "/v3/api-docs", "/api/v1/upscale-batches;jsessionid=x");
	}

	private String queryPath() {
		return pick(
				"/api/v1/generations?status=" + enc(word()) + "&projectId=" + enc(word()) + "&limit=" + enc(number()),
				"/api/v1/generations?hasUpscale=" + enc(word()) + "&limit=" + enc(number()),
				"/api/v1/upscale-batches/" + id(), "/api/v1/upscales/" + id(), "/api/v1/profiles/" + id(),
				"/api/v1/generations/" + id(), "/api/v1/generations?limit=99999999999999999999",
				"/api/v1/generations?status=completed&status=failed&limit=-5");
	}

	private String method() {
		return pick("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND");
	}

	private String auth() {
		int kind = this.random.nextInt(8);
		return switch (kind) {
			case 0 -> null;
			case 1 -> "Bearer wrong-key";
			case 2 -> "Bearer ";
			case 3 -> "Basic " + java.util.Base64.getEncoder().encodeToString("a:b".getBytes(StandardCharsets.UTF_8));
			case 4 -> "bearer " + FaultSystem.API_KEY;
			case 5 -> "Bearer " + "k".repeat(5000);
			default -> "Bearer " + FaultSystem.API_KEY;
		};
	}

	private String contentType() {
		return pick("application/json", "application/json", "application/json", "text/plain", "application/xml",
				"multipart/form-data; boundary=x", null, "application/json; charset=ISO-8859-1", "application/*",
				"application/x-www-form-urlencoded", "application/json-patch+json", "*/*", "garbage///");
	}

	private String badJson() {
		String valid = validishBatch();
		return switch (this.random.nextInt(8)) {
			case 0 -> valid.substring(0, this.random.nextInt(valid.length()));
			case 1 -> valid + "}}}";
			case 2 -> "{\"requests\":[{\"sourceGenerationId\":\"a\",}],}";
			case 3 -> "{'requests':[]}";
			case 4 -> "";
			case 5 -> "null";
			case 6 -> "[".repeat(2000 + this.random.nextInt(20000));
			default -> "{\"requests\":" + "[".repeat(1500) + "]".repeat(1500) + "}";
		};
	}

	private String wrongTypes() {
		return pick("{\"requests\":\"gen1\"}", "{\"requests\":42}", "{\"requests\":{\"sourceGenerationId\":\"g\"}}",
				"{\"requests\":[{\"sourceGenerationId\":42}]}", "{\"requests\":[{\"sourceGenerationId\":[\"a\"]}]}",
				"{\"requests\":[{\"sourceGenerationId\":null}]}", "{\"requests\":[null]}", "{\"requests\":[1,2,3]}",
				"{\"requests\":[{\"sourceGenerationId\":\"g\"}],\"delayMs\":\"soon\"}",
				"{\"requests\":[{\"sourceGenerationId\":\"g\"}],\"delayMs\":1.5}",
				"{\"requests\":[{\"sourceGenerationId\":\"g\"}],\"delayMs\":-1}",
				"{\"requests\":[{\"sourceGenerationId\":\"g\"}],\"delayMs\":99999999999999999999}",
				"{\"requests\":[{\"sourceGenerationId\":\"g\"}],\"delayMs\":true}",
				"{\"requests\":[{\"sourceGenerationId\":\"g\"}],\"delayMs\":1e400}",
				"{\"requests\":[{\"sourceGenerationId\":\"g\",\"model\":7}]}", "{\"requests\":[]}", "42", "\"string\"",
				"[{\"sourceGenerationId\":\"g\"}]", "{}",
				"{\"requests\":[{\"sourceGenerationId\":\"g\"}],\"delayMs\":null}");
	}

	private String hugeArray() {
		int size = pick(1001, 5_000, 50_000, 200_000);
		StringBuilder body = new StringBuilder("{\"requests\":[");
		for (int i = 0; i < size; i++) {
			body.append((i > 0) ? "," : "").append("{\"sourceGenerationId\":\"g").append(i).append("\"}");
		}
		if (this.random.nextBoolean()) {
			return body.append("],\"delayMs\":0}").toString();
		}
		return "{\"requests\":[{\"sourceGenerationId\":\"" + "x".repeat(pick(129, 10_000, 1_000_000)) + "\"}]}";
	}

	private String oddUnicode() {
		String odd = ODD.get(this.random.nextInt(ODD.size()));
		return pick("{\"requests\":[{\"sourceGenerationId\":\"" + odd + "\"}],\"delayMs\":0}",
				"{\"requests\":[{\"sourceGenerationId\":\"g\",\"model\":\"" + odd + "\"}]}", "{\"req\u0000uests\":[]}",
				"\ufeff{\"requests\":[{\"sourceGenerationId\":\"g" + odd + "\"}]}",
				"{\"requests\":[{\"sourceGenerationId\":\"" + odd.repeat(200) + "\"}]}");
	}

	private String profileBody() {
		return pick("{\"name\":\"" + word() + "\",\"loggedIn\":\"yes\"}", "{\"name\":null,\"loggedIn\":true}",
				"{\"name\":\"p\",\"loggedIn\":true,\"flowCookies\":{\"sessionToken\":\"\",\"expiresAt\":\"tomorrow\"}}",
				"{\"name\":\"p\",\"loggedIn\":true,\"flowCookies\":{\"sessionToken\":42,\"expiresAt\":\"2026-13-45T99:00:00Z\"}}",
				"{\"name\":\"" + "n".repeat(100_000) + "\",\"loggedIn\":true}", badJson(), "[]",
				"{\"name\":\"" + ODD.get(this.random.nextInt(ODD.size())) + "\",\"loggedIn\":false}");
	}

	private String generationBody() {
		return pick("{\"projectId\":\"p\",\"profileId\":\"x\",\"status\":\"" + word() + "\"}",
				"{\"projectId\":null,\"profileId\":\"x\",\"status\":\"completed\"}",
				"{\"projectId\":\"" + "p".repeat(300) + "\",\"profileId\":\"x\",\"status\":\"completed\"}",
				"{\"projectId\":\"p\",\"profileId\":\"x\",\"status\":\"completed\",\"mediaGenerationId\":" + "\""
						+ "m".repeat(600) + "\"}",
				"{\"projectId\":\"p\",\"profileId\":\"" + ODD.get(this.random.nextInt(ODD.size()))
						+ "\",\"status\":\"completed\",\"mediaGenerationId\":\"m\",\"flowProjectId\":\"f\"}",
				"{\"projectId\":[],\"profileId\":{},\"status\":1}", badJson());
	}

	private String validishBatch() {
		return "{\"requests\":[{\"sourceGenerationId\":\"fuzz-" + this.random.nextInt(1000) + "\",\"model\":\""
				+ MODELS.get(this.random.nextInt(MODELS.size())) + "\"}],\"delayMs\":" + (this.random.nextInt(200) - 50)
				+ "}";
	}

	private String anyBody() {
		return pick(null, "", validishBatch(), badJson(), wrongTypes(), "<xml/>", "a=b&c=d");
	}

	private String rawBytes() {
		byte[] bytes = new byte[1 + this.random.nextInt(2048)];
		this.random.nextBytes(bytes);
		return new String(bytes, StandardCharsets.ISO_8859_1);
	}

	private String id() {
		return pick(enc(word()), enc("x".repeat(129)), enc("y".repeat(5000)), "%00", "%ff%fe", "%2F", "..", "%20",
				enc(ODD.get(this.random.nextInt(ODD.size()))), "null", "-1", "batch-" + java.util.UUID.randomUUID());
	}

	private String word() {
		return pick("completed", "COMPLETED", "pending", "", " ", "true", "false", "nope",
				ODD.get(this.random.nextInt(ODD.size())), "x".repeat(300));
	}

	private String number() {
		return pick("5", "0", "-1", "1001", "abc", "1.5", "99999999999999999999", "", "NaN");
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@SafeVarargs
	private <T> T pick(T... values) {
		return values[this.random.nextInt(values.length)];
	}

	/**
	 * One fuzzed request.
	 */
	private record Fuzzed(String method, String path, String auth, String contentType, String body, String kind) {

		HttpRequest request(String base) {
			HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + this.path))
				.timeout(Duration.ofSeconds(60));
			if (this.auth != null) {
				builder.header("Authorization", this.auth);
			}
			if (this.contentType != null) {
				builder.header("Content-Type", this.contentType);
			}
			byte[] bytes = (this.body != null)
					? this.body
						.getBytes("raw bytes".equals(this.kind) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8)
					: new byte[0];
			HttpRequest.BodyPublisher publisher = (this.body != null) ? HttpRequest.BodyPublishers.ofByteArray(bytes)
					: HttpRequest.BodyPublishers.noBody();
			return builder.method(this.method, publisher).build();
		}

		String describe() {
			String shown = (this.body != null) ? this.body : "";
			shown = (shown.length() > 80) ? shown.substring(0, 80) + "...(" + shown.length() + " chars)" : shown;
			return this.method + " " + ((this.path.length() > 80) ? this.path.substring(0, 80) + "..." : this.path)
					+ " [" + this.kind + ", " + this.contentType + ", key " + (this.auth != null) + "] " + shown;
		}

	}

}
