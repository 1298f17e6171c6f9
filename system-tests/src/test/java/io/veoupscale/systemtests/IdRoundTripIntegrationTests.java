package io.veoupscale.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.testsupport.HostileStrings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ids are kept exactly as sent or refused, never altered into another video's id. For
 * strings drawn from {@link HostileStrings} (a new seed every run, printed with each
 * failure), the gateway either answers 400 with the envelope, or the id comes back
 * identical from every hop: as a profile's and a generation's id in a path, as the ids a
 * generation's body holds, and as a batch item in the batch's events on the topic and
 * over SSE, in its state, and at Flow (the simulator's record of the start).
 */
class IdRoundTripIntegrationTests {

	/**
	 * Tries per run. About half of the strings hold an unpaired surrogate and nothing the
	 * gateway refused before (NUL, blank, too long), so a run misses that case with a
	 * probability far below 1e-20.
	 */
	private static final int TRIES = 100;

	private static final long SEED = HostileStrings.seed();

	private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	private static final AtomicInteger TRY = new AtomicInteger();

	private static final Map<String, AtomicInteger> outcomes = new ConcurrentSkipListMap<>();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final List<String> sseData = new CopyOnWriteArrayList<>();

	private static RunningSystem system;

	private static CompletableFuture<Void> sse;

	private static String fallbackProfile;

	@BeforeAll
	static void startSystem() {
		System.out.println("IdRoundTripIntegrationTests: seed " + SEED + " (-D" + HostileStrings.SEED_PROPERTY + "="
				+ SEED + " repeats this run)");
		system = RunningSystem.start(Map.of("upscale.worker.profile-min-spacing", "0ms"));
		fallbackProfile = "profile-" + RUN;
		assertThat(send("PUT", "/api/v1/profiles/" + fallbackProfile, profileBody()).status()).isEqualTo(201);
		HttpRequest events = HttpRequest.newBuilder(URI.create(base() + "/api/v1/events"))
			.header("Accept", "text/event-stream")
			.header("Authorization", "Bearer " + RunningSystem.API_KEY)
			.build();
		List<String> lines = new CopyOnWriteArrayList<>();
		sse = http.sendAsync(events, HttpResponse.BodyHandlers.ofLines())
			.thenAccept((response) -> response.body().forEach((line) -> {
				lines.add(line);
				if (line.startsWith("data:")) {
					sseData.add(line.substring(5));
				}
			}));
		await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(":connected"));
	}

	@AfterAll
	static void stopSystem() throws InterruptedException {
		System.out.println(
				"IdRoundTripIntegrationTests: seed " + SEED + ", outcomes of " + TRY.get() + " tries: " + outcomes);
		sse.cancel(true);
		system.close();
	}

	static Stream<Named<String>> ids() {
		return HostileStrings.sample(SEED, TRIES, 512)
			.stream()
			.map((id) -> Named.of(HostileStrings.name(id) + " (seed " + SEED + ")", id));
	}

	@ParameterizedTest(name = "{index}: {0}")
	@MethodSource("ids")
	void keepsAnIdByteForByteOrRefusesIt(String id) {
		String n = RUN + "-" + TRY.incrementAndGet();
		boolean profileKept = !id.isEmpty()
				&& putAndGet("/api/v1/profiles/" + HostileStrings.pathSegment(id), profileBody(), Map.of("id", id));
		count("profile id kept", profileKept);
		String profileId = profileKept ? id : fallbackProfile;
		String media = "media-" + n;
		boolean generationKept = !id.isEmpty() && putAndGet("/api/v1/generations/" + HostileStrings.pathSegment(id),
				generationBody("property", profileId, media, "flow-property"),
				Map.of("id", id, "profileId", profileId, "mediaGenerationId", media));
		count("generation id kept", generationKept);
		String carrier = "carrier-" + n;
		boolean carrierKept = putAndGet("/api/v1/generations/" + carrier, generationBody(id, profileId, id, id),
				Map.of("projectId", id, "profileId", profileId, "mediaGenerationId", id, "flowProjectId", id));

		count("body ids kept", carrierKept);
		List<String> items = carrierKept ? List.of(id, carrier) : List.of(id);
		Response accepted = send("POST", "/api/v1/upscale-batches", "{\"requests\":[" + String.join(",",
				items.stream().map((item) -> "{\"sourceGenerationId\":" + HostileStrings.json(item) + "}").toList())
				+ "],\"delayMs\":0}");
		count("batch accepted", accepted.status() == 202);
		if (accepted.status() == 400) {
			assertRefused(accepted, "POST batch");
			assertThat(accepted.json().get("error").asString()).contains("requests[0].sourceGenerationId");
			assertThat(carrierKept).as("a body that held this id was accepted, so the batch must be too").isFalse();
			return;
		}
		assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
		String batchId = accepted.json().get("data").get("batchId").asString();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> system.eventsOf(batchId).stream().anyMatch(BatchCompleted.class::isInstance));
		List<BatchEvent> events = system.eventsOf(batchId);
		assertThat(events.get(0)).isInstanceOfSatisfying(BatchStarted.class,
				(started) -> assertThat(escaped(started.sourceGenerationIds())).isEqualTo(escaped(items)));
		List<ItemProgressed> progress = events.stream()
			.filter(ItemProgressed.class::isInstance)
			.map(ItemProgressed.class::cast)
			.toList();
		assertThat(escaped(progress.stream().map(ItemProgressed::sourceGenerationId).toList()))
			.isEqualTo(escaped(items));
		assertThat(progress.get(0).success()).as(String.valueOf(progress.get(0).error())).isEqualTo(generationKept);
		if (generationKept) {
			assertStartedAtFlow(progress.get(0).sceneId(), media, "flow-property");
		}
		count("id started at Flow", carrierKept);
		if (carrierKept) {
			assertThat(progress.get(1).success()).as(String.valueOf(progress.get(1).error())).isTrue();
			assertStartedAtFlow(progress.get(1).sceneId(), id, id);
		}
		JsonNode state = get("/api/v1/upscale-batches/" + batchId).json().get("data");
		List<String> stateIds = new ArrayList<>();
		state.get("items").forEach((item) -> stateIds.add(item.get("sourceGenerationId").asString()));
		assertThat(escaped(stateIds)).isEqualTo(escaped(items));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(escaped(sseStarted(batchId))).isEqualTo(escaped(items)));
	}

	@Test
	void refusesAnUnpairedSurrogateAndStartsNothingForTheIdItWouldHaveBecome() {
		String sent = "abc\ud800x-" + RUN;
		String altered = "abc?x-" + RUN;
		String media = "media-altered-" + RUN;
		assertThat(send("PUT", "/api/v1/generations/" + HostileStrings.pathSegment(altered),
				generationBody("property", fallbackProfile, media, "flow-property"))
			.status()).isEqualTo(201);

		Response refused = send("POST", "/api/v1/upscale-batches",
				"{\"requests\":[{\"sourceGenerationId\":" + HostileStrings.json(sent) + "}],\"delayMs\":0}");
		String marker = "marker-" + RUN;
		assertThat(send("PUT", "/api/v1/generations/" + marker,
				generationBody("property", fallbackProfile, "media-" + marker, "flow-property"))
			.status()).isEqualTo(201);
		Response after = send("POST", "/api/v1/upscale-batches",
				"{\"requests\":[{\"sourceGenerationId\":\"" + marker + "\"}],\"delayMs\":0}");
		String markerBatch = after.json().get("data").get("batchId").asString();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> system.eventsOf(markerBatch).stream().anyMatch(BatchCompleted.class::isInstance));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("success").asBoolean()).isFalse();
		assertThat(refused.json().get("error").asString())
			.isEqualTo("requests[0].sourceGenerationId must be valid Unicode text without control characters, "
					+ "noncharacters or U+FFFD");
		assertThat(startsAtFlow()).extracting((start) -> start.path("mediaId").asString(null))
			.contains("media-" + marker)
			.doesNotContain(media);
	}

	private static void count(String outcome, boolean happened) {
		if (happened) {
			outcomes.computeIfAbsent(outcome, (key) -> new AtomicInteger()).incrementAndGet();
		}
	}

	private static void assertStartedAtFlow(@Nullable String sceneId, String mediaId, String projectId) {
		List<JsonNode> starts = startsAtFlow().stream()
			.filter((start) -> start.path("sceneId").asString("").equals(sceneId))
			.toList();
		assertThat(starts).as("starts of scene %s", sceneId).hasSize(1);
		assertThat(HostileStrings.escape(starts.get(0).get("mediaId").asString()))
			.isEqualTo(HostileStrings.escape(mediaId));
		assertThat(HostileStrings.escape(starts.get(0).get("projectId").asString()))
			.isEqualTo(HostileStrings.escape(projectId));
	}

	private static List<JsonNode> startsAtFlow() {
		JsonNode report = system.simulator().get().uri("/admin/starts").retrieve().body(JsonNode.class);
		List<JsonNode> starts = new ArrayList<>();
		report.get("starts").forEach(starts::add);
		return starts;
	}

	private static @Nullable List<String> sseStarted(String batchId) {
		for (String data : sseData) {
			JsonNode event = UpscaleJson.mapper().readTree(data);
			if (BatchStarted.TYPE.equals(event.path("type").asString())
					&& batchId.equals(event.path("batchId").asString())) {
				List<String> ids = new ArrayList<>();
				event.get("sourceGenerationIds").forEach((id) -> ids.add(id.asString()));
				return ids;
			}
		}
		return null;
	}

	/**
	 * Puts a resource and reads it back.
	 * @return whether it was kept (every expected field identical), false when refused
	 */
	private static boolean putAndGet(String path, String body, Map<String, String> expected) {
		Response put = send("PUT", path, body);
		if (put.status() == 400) {
			assertRefused(put, "PUT " + path);
			return false;
		}
		assertThat(put.status()).as("PUT %s: %s", path, put.body()).isIn(200, 201);
		Response read = get(path);
		assertThat(read.status()).as("GET %s: %s", path, read.body()).isEqualTo(200);
		JsonNode data = read.json().get("data");
		expected.forEach((field, value) -> assertThat(HostileStrings.escape(data.get(field).asString()))
			.as("GET %s: %s", path, field)
			.isEqualTo(HostileStrings.escape(value)));
		return true;
	}

	private static @Nullable List<String> escaped(@Nullable List<String> ids) {
		return (ids != null) ? ids.stream().map(HostileStrings::escape).toList() : null;
	}

	private static void assertRefused(Response response, String call) {
		assertThat(response.contentType()).as("%s: %s", call, response.body()).startsWith("application/json");
		JsonNode body = response.json();
		assertThat(body.get("success").asBoolean()).as(call).isFalse();
		assertThat(body.get("error").asString()).as(call).isNotBlank();
	}

	private static String profileBody() {
		return "{\"name\":\"Property\",\"loggedIn\":true,\"flowCookies\":{\"sessionToken\":\"session-" + RUN
				+ "\",\"expiresAt\":\"" + Instant.now().plus(Duration.ofDays(7)) + "\"}}";
	}

	private static String generationBody(String projectId, String profileId, String mediaId, String flowProjectId) {
		return "{\"projectId\":" + HostileStrings.json(projectId) + ",\"profileId\":" + HostileStrings.json(profileId)
				+ ",\"status\":\"completed\",\"mediaGenerationId\":" + HostileStrings.json(mediaId)
				+ ",\"flowProjectId\":" + HostileStrings.json(flowProjectId) + "}";
	}

	private static String base() {
		return "http://localhost:" + system.gatewayPort;
	}

	private static Response get(String path) {
		return send("GET", path, null);
	}

	private static Response send(String method, String path, @Nullable String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + RunningSystem.API_KEY)
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.body());
		}
		catch (Exception ex) {
			throw new AssertionError(method + " " + path + " failed", ex);
		}
	}

	private record Response(int status, String contentType, String body) {

		JsonNode json() {
			try {
				return UpscaleJson.mapper().readTree(this.body);
			}
			catch (RuntimeException ex) {
				throw new AssertionError("Not JSON (status " + this.status + "): " + this.body, ex);
			}
		}

	}

}
