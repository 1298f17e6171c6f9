package io.veoupscale.systemtests;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.UpscaleFinished;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One batch seen as one trace: the client's request (continued from its
 * {@code traceparent}), the gateway's send to Kafka, the worker's receive, each start at
 * Flow, the relay of each event, the initiated-upscale records, the poller's receive,
 * checks and its completion events, each with the right parent; the batch's state and
 * every event carry the trace id; and no span or log line holds the profile's cookie.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingIntegrationTests {

	private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

	private static final InMemorySpanExporter spans = InMemorySpanExporter.create();

	private static RunningSystem system;

	@BeforeAll
	static void startSystem() {
		system = RunningSystem.start(Map.of("management.tracing.sampling.probability", "1.0",
				"management.opentelemetry.tracing.export.schedule-delay", "100ms"), spans);
	}

	@AfterAll
	static void stopSystem() throws InterruptedException {
		system.close();
	}

	@Test
	void followsOneBatchThroughGatewayWorkerAndPollerInOneTrace(CapturedOutput output) {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String profileId = "profile-" + run;
		String cookie = "secret-cookie-" + UUID.randomUUID();
		system.put("/api/v1/profiles/" + profileId, Map.of("name", "Traced", "loggedIn", true, "flowCookies",
				Map.of("sessionToken", cookie, "expiresAt", Instant.now().plus(Duration.ofDays(7)).toString())));
		system.put("/api/v1/generations/gen-a-" + run,
				RunningSystem.generation("project-t", profileId, "completed", "media-a-" + run));
		system.put("/api/v1/generations/gen-b-" + run,
				RunningSystem.generation("project-t", profileId, "pending", null));
		system.put("/api/v1/generations/gen-c-" + run,
				RunningSystem.generation("project-t", profileId, "completed", "media-c-" + run));
		String traceId = hex(16);
		String clientSpanId = hex(8);

		ResponseEntity<JsonNode> accepted = system.gateway()
			.post()
			.uri("/api/v1/upscale-batches")
			.header("traceparent", "00-" + traceId + "-" + clientSpanId + "-01")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("requests",
					List.of(Map.of("sourceGenerationId", "gen-a-" + run), Map.of("sourceGenerationId", "gen-b-" + run),
							Map.of("sourceGenerationId", "gen-c-" + run)),
					"delayMs", 200))
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		String batchId = accepted.getBody().get("data").get("batchId").asString();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> system.eventsOf(batchId).stream().filter(UpscaleFinished.class::isInstance).count() == 2
					&& system.eventsOf(batchId).stream().anyMatch(BatchCompleted.class::isInstance));
		JsonNode state = system.gateway()
			.get()
			.uri("/api/v1/upscale-batches/{id}", batchId)
			.retrieve()
			.body(JsonNode.class);
		assertThat(state.get("data").get("traceId").asString()).isEqualTo(traceId);
		List<String> payloads = system.sql.sql("select payload from event_log where batch_id = :id order by seq")
			.param("id", batchId)
			.query(String.class)
			.list();
		assertThat(payloads).hasSize(7)
			.allSatisfy((payload) -> assertThat(UpscaleJson.mapper().readTree(payload).get("traceId").asString())
				.isEqualTo(traceId));

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(inTrace(traceId, kind(SpanKind.PRODUCER).and(service("status-poller"))))
				.hasSize(2));
		List<SpanData> trace = inTrace(traceId, (span) -> true);
		SpanData request = single(trace, kind(SpanKind.SERVER).and(service("api-gateway"))
			.and((span) -> span.getName().toLowerCase().startsWith("http post")));
		assertThat(request.getParentSpanId()).isEqualTo(clientSpanId);
		SpanData submitted = single(trace, kind(SpanKind.PRODUCER).and(service("api-gateway")));
		assertThat(ancestors(trace, submitted)).contains(request.getSpanId());
		SpanData received = single(trace, kind(SpanKind.CONSUMER).and(service("upscale-worker")));
		assertThat(received.getParentSpanId()).isEqualTo(submitted.getSpanId());
		List<SpanData> starts = all(trace, kind(SpanKind.CLIENT).and(named("flow start")));
		assertThat(starts).hasSize(2)
			.allSatisfy((start) -> assertThat(start.getParentSpanId()).isEqualTo(received.getSpanId()));
		assertThat(starts)
			.allSatisfy((start) -> assertThat(start.getAttributes().asMap().keySet()).extracting(AttributeKey::getKey)
				.containsOnly("flow.operation", "outcome", "http.response.status_code"));
		List<SpanData> relayed = all(trace, kind(SpanKind.PRODUCER).and(service("upscale-worker")));
		// started, three progress events, completed, and two initiated upscales
		assertThat(relayed).hasSize(7)
			.allSatisfy((send) -> assertThat(send.getParentSpanId()).isEqualTo(received.getSpanId()));
		List<SpanData> tracked = all(trace, kind(SpanKind.CONSUMER).and(service("status-poller")));
		assertThat(tracked).hasSize(2)
			.allSatisfy((consumer) -> assertThat(relayed).extracting(SpanData::getSpanId)
				.contains(consumer.getParentSpanId()));
		List<String> trackedIds = tracked.stream().map(SpanData::getSpanId).toList();
		assertThat(all(trace, kind(SpanKind.CLIENT).and(service("status-poller")).and(named("flow check"))))
			.isNotEmpty()
			.allSatisfy((check) -> assertThat(trackedIds).contains(check.getParentSpanId()));
		assertThat(all(trace, kind(SpanKind.PRODUCER).and(service("status-poller")))).hasSize(2)
			.allSatisfy((finished) -> assertThat(trackedIds).contains(finished.getParentSpanId()));

		assertThat(spans.getFinishedSpanItems()).allSatisfy((span) -> {
			assertThat(span.getName()).doesNotContain(cookie);
			assertThat(span.getAttributes().asMap().values()).noneMatch((value) -> value.toString().contains(cookie));
		});
		assertThat(output.getAll()).doesNotContain(cookie);
		assertThat(output.getAll().lines().filter((line) -> line.contains("batch " + batchId + ": accepted")))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains(traceId));
	}

	@Test
	void givesABatchProducedStraightToKafkaATraceOfItsOwn() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String batchId = "direct-" + run;
		system.produceBatchRequest(batchId, UpscaleJson
			.write(new BatchRequested(batchId, List.of(new UpscaleRequest("missing-" + run, null)), 0, Instant.now())));

		await().atMost(Duration.ofSeconds(30))
			.until(() -> system.eventsOf(batchId).stream().anyMatch(BatchCompleted.class::isInstance));
		String traceId = system.gateway()
			.get()
			.uri("/api/v1/upscale-batches/{id}", batchId)
			.retrieve()
			.body(JsonNode.class)
			.get("data")
			.get("traceId")
			.asString();
		assertThat(traceId).matches("[0-9a-f]{32}");
		assertThat(system.sql.sql("select payload from event_log where batch_id = :id")
			.param("id", batchId)
			.query(String.class)
			.list()).hasSize(3)
			.allSatisfy((payload) -> assertThat(UpscaleJson.mapper().readTree(payload).get("traceId").asString())
				.isEqualTo(traceId));
	}

	private static List<SpanData> inTrace(String traceId, Predicate<SpanData> filter) {
		return spans.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getTraceId().equals(traceId))
			.filter(filter)
			.toList();
	}

	private static List<SpanData> all(List<SpanData> trace, Predicate<SpanData> filter) {
		return trace.stream().filter(filter).toList();
	}

	private static SpanData single(List<SpanData> trace, Predicate<SpanData> filter) {
		List<SpanData> found = all(trace, filter);
		assertThat(found).as("spans in %s", describe(trace)).hasSize(1);
		return found.get(0);
	}

	private static List<String> ancestors(List<SpanData> trace, SpanData span) {
		List<String> ancestors = new java.util.ArrayList<>();
		String parent = span.getParentSpanId();
		while (parent != null) {
			ancestors.add(parent);
			String id = parent;
			parent = trace.stream()
				.filter((candidate) -> candidate.getSpanId().equals(id))
				.map(SpanData::getParentSpanId)
				.findFirst()
				.orElse(null);
		}
		return ancestors;
	}

	private static String describe(List<SpanData> trace) {
		return trace.stream()
			.map((span) -> span.getResource().getAttribute(SERVICE) + " " + span.getKind() + " " + span.getName() + " "
					+ span.getSpanId() + " <- " + span.getParentSpanId())
			.toList()
			.toString();
	}

	private static Predicate<SpanData> kind(SpanKind kind) {
		return (span) -> span.getKind() == kind;
	}

	private static Predicate<SpanData> service(String name) {
		return (span) -> name.equals(span.getResource().getAttribute(SERVICE));
	}

	private static Predicate<SpanData> named(String name) {
		return (span) -> span.getName().equals(name);
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		random[0] |= 1;
		return HexFormat.of().formatHex(random);
	}

}
