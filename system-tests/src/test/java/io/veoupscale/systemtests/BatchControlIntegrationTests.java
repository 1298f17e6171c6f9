package io.veoupscale.systemtests;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import io.veoupscale.events.BatchCommand;
import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchPaused;
import io.veoupscale.events.BatchResumed;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleFinished;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.testsupport.SimulatorAdmin;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;
import io.veoupscale.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Batch control end to end, as a user sees it: batches listed, cancelled, paused, resumed
 * and retried over HTTP and over the command topic, and profiles paused, on the real
 * broker and database against the simulated Flow, judged by HTTP bodies, events and the
 * simulator's log of start calls. The first worker holds one batch at a time, so that a
 * second worker takes the next one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchControlIntegrationTests {

	private static RunningSystem system;

	private static SimulatorAdmin simulator;

	@BeforeAll
	static void startSystem() {
		system = RunningSystem.start(Map.of("upscale.worker.heartbeat-interval", "300ms",
				"upscale.worker.max-leased-batches", "1", "flow.simulator.complete-after", "60s"));
		simulator = new SimulatorAdmin(system.simulatorPort);
	}

	@AfterAll
	static void stopSystem() throws InterruptedException {
		system.close();
	}

	@Test
	@Order(1)
	void cancelsMidBatchFailingUnstartedItemsAndCompletingOnce() {
		Fixture fixture = Fixture.create(6);
		String batchId = fixture.submit(1200);
		await().atMost(Duration.ofSeconds(30)).until(() -> fixture.starts().size() >= 2);

		ResponseEntity<JsonNode> cancelled = post("/api/v1/upscale-batches/" + batchId + "/cancel?upstream=true");
		int startsAtAnswer = fixture.starts().size();

		assertThat(cancelled.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(cancelled.getBody().get("success").asBoolean()).isTrue();
		assertThat(cancelled.getBody().get("data").get("status").asString()).isIn("cancelling", "cancelled");
		awaitCompleted(batchId);
		assertCompletedOnceFor(batchId, Duration.ofSeconds(2));
		List<BatchCompleted> completions = completions(batchId);
		int started = fixture.starts().size();
		assertThat(started).as("no start after the cancel answer but one in flight")
			.isLessThanOrEqualTo(startsAtAnswer + 1);
		assertThat(completions).singleElement().satisfies((completed) -> {
			assertThat(completed.successCount()).isEqualTo(started);
			assertThat(completed.cancelledCount()).isEqualTo(6 - started);
			assertThat(completed.failureCount()).isEqualTo(6 - started);
			assertThat(completed.total()).isEqualTo(6);
		});
		assertThat(system.eventsOf(batchId)
			.stream()
			.filter(ItemProgressed.class::isInstance)
			.map(ItemProgressed.class::cast)
			.filter((progress) -> "Batch cancelled".equals(progress.error()))
			.count()).isEqualTo(6 - started);
		JsonNode state = get("/api/v1/upscale-batches/" + batchId).getBody().get("data");
		assertThat(state.get("status").asString()).isEqualTo("cancelled");
		assertThat(state.get("cancelledCount").asInt()).isEqualTo(6 - started);

		Set<String> upscaled = fixture.starts()
			.stream()
			.map((start) -> start.mediaId() + "_upsampled")
			.collect(java.util.stream.Collectors.toSet());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> simulator.cancels()
				.stream()
				.filter((cancel) -> upscaled.contains(cancel.mediaId()) && cancel.cancelled())
				.count() == started);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> system.eventsOf(batchId)
				.stream()
				.filter(UpscaleFinished.class::isInstance)
				.map(UpscaleFinished.class::cast)
				.filter((finished) -> String.valueOf(finished.error())
					.equals("Upscale failed at Flow: cancelled because its batch was cancelled (flowMedia:cancelGeneration)"))
				.count() == started);

		ResponseEntity<JsonNode> again = post("/api/v1/upscale-batches/" + batchId + "/cancel");
		assertThat(again.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(again.getBody().get("data").get("status").asString()).isEqualTo("cancelled");
	}

	@Test
	@Order(2)
	void refusesToCancelPauseOrResumeACompletedBatchAndAnswers404ForAnUnknownOne() {
		Fixture fixture = Fixture.create(1);
		String batchId = fixture.submit(0);
		awaitCompleted(batchId);

		for (String command : List.of("cancel", "pause", "resume")) {
			ResponseEntity<JsonNode> refused = post("/api/v1/upscale-batches/" + batchId + "/" + command);
			assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
			assertThat(refused.getBody().get("success").asBoolean()).isFalse();
			assertThat(refused.getBody().get("error").asString()).contains(batchId).contains("completed");
		}
		ResponseEntity<JsonNode> unknown = post("/api/v1/upscale-batches/nosuchbatch" + fixture.run + "/cancel");
		assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(unknown.getBody().get("error").asString()).contains("not found");
		ResponseEntity<JsonNode> anonymous = RestClient.builder()
			.baseUrl("http://localhost:" + system.gatewayPort)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build()
			.post()
			.uri("/api/v1/upscale-batches/" + batchId + "/cancel")
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	@Test
	@Order(3)
	void pausesForLongerThanThreeDelaysThenResumesKeepingTheDelay() {
		Fixture fixture = Fixture.create(4);
		int delayMs = 1200;
		String batchId = fixture.submit(delayMs);
		await().atMost(Duration.ofSeconds(30)).until(() -> fixture.starts().size() >= 1);

		ResponseEntity<JsonNode> paused = post("/api/v1/upscale-batches/" + batchId + "/pause");
		int startsAtAnswer = fixture.starts().size();
		assertThat(paused.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(paused.getBody().get("data").get("status").asString()).isEqualTo("paused");
		await().during(Duration.ofMillis(4 * delayMs))
			.atMost(Duration.ofMillis(6 * delayMs))
			.until(() -> fixture.starts().size() <= startsAtAnswer + 1);
		int startsWhilePaused = fixture.starts().size();
		assertThat(get("/api/v1/upscale-batches/" + batchId).getBody().get("data").get("status").asString())
			.isEqualTo("paused");
		assertThat(post("/api/v1/upscale-batches/" + batchId + "/pause").getStatusCode()).isEqualTo(HttpStatus.OK);

		ResponseEntity<JsonNode> resumed = post("/api/v1/upscale-batches/" + batchId + "/resume");
		assertThat(resumed.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(resumed.getBody().get("data").get("status").asString()).isEqualTo("running");
		awaitCompleted(batchId);
		assertThat(fixture.starts()).hasSize(4);
		assertThat(startsWhilePaused).isLessThan(4);
		assertThat(SimulatorAdmin.gapsBetweenAccepted(fixture.starts()))
			.allSatisfy((gap) -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(delayMs)));
		List<BatchPaused> pauses = system.eventsOf(batchId)
			.stream()
			.filter(BatchPaused.class::isInstance)
			.map(BatchPaused.class::cast)
			.toList();
		assertThat(pauses).singleElement().satisfies((pause) -> assertThat(pause.total()).isEqualTo(4));
		assertThat(system.eventsOf(batchId).stream().filter(BatchResumed.class::isInstance)).hasSize(1);
		assertThat(completions(batchId)).singleElement().satisfies((completed) -> {
			assertThat(completed.successCount()).isEqualTo(4);
			assertThat(completed.cancelledCount()).isZero();
		});
	}

	@Test
	@Order(4)
	void retriesExactlyTheFailedItemsAsANewBatchLinkedBothWays() {
		Fixture fixture = Fixture.create(3);
		system.put("/api/v1/generations/" + fixture.sources.get(1),
				RunningSystem.generation("project-" + fixture.run, fixture.profileId, "pending", null));
		String batchId = fixture.submit(0);
		awaitCompleted(batchId);

		assertThat(post("/api/v1/upscale-batches/" + batchId + "/retry", Map.of("only", "upstream")).getStatusCode())
			.isEqualTo(HttpStatus.CONFLICT);
		ResponseEntity<JsonNode> invalid = post("/api/v1/upscale-batches/" + batchId + "/retry", Map.of("only", "x"));
		assertThat(invalid.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(invalid.getBody().get("error").asString()).contains("only must be one of");

		ResponseEntity<JsonNode> retried = post("/api/v1/upscale-batches/" + batchId + "/retry");
		assertThat(retried.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(retried.getBody().get("data").get("total").asInt()).isEqualTo(1);
		String retryId = retried.getBody().get("data").get("batchId").asString();
		awaitCompleted(retryId);

		JsonNode retry = get("/api/v1/upscale-batches/" + retryId).getBody().get("data");
		assertThat(retry.get("retryOf").asString()).isEqualTo(batchId);
		assertThat(retry.get("items")).hasSize(1);
		assertThat(retry.get("items").get(0).get("sourceGenerationId").asString()).isEqualTo(fixture.sources.get(1));
		assertThat(retry.get("delayMs").asInt()).isZero();
		JsonNode original = get("/api/v1/upscale-batches/" + batchId).getBody().get("data");
		assertThat(original.get("retriedBy")).hasSize(1);
		assertThat(original.get("retriedBy").get(0).asString()).isEqualTo(retryId);
		ResponseEntity<JsonNode> nothing = post("/api/v1/upscale-batches/" + fixture.submitAndWait(0) + "/retry");
		assertThat(nothing.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(nothing.getBody().get("error").asString()).contains("no failed items");
	}

	@Test
	@Order(5)
	void listsBatchesNewestFirstWithFiltersAndAStableCursor() {
		Fixture fixture = Fixture.create(1);
		String older = fixture.submitAndWait(0);
		String newer = fixture.submitAndWait(0);

		JsonNode first = get("/api/v1/upscale-batches?profileId=" + fixture.profileId + "&limit=1").getBody()
			.get("data");
		assertThat(first.get("items")).hasSize(1);
		assertThat(first.get("items").get(0).get("batchId").asString()).isEqualTo(newer);
		assertThat(first.get("items").get(0).has("items")).isFalse();
		assertThat(first.get("items").get(0).get("status").asString()).isEqualTo("completed");
		String cursor = first.get("nextCursor").asString();
		String newest = fixture.submitAndWait(0);
		JsonNode second = get("/api/v1/upscale-batches?profileId=" + fixture.profileId + "&limit=1&cursor=" + cursor)
			.getBody()
			.get("data");
		assertThat(second.get("items")).hasSize(1);
		assertThat(second.get("items").get(0).get("batchId").asString()).isEqualTo(older);
		assertThat(second.get("nextCursor").isNull()).isTrue();
		JsonNode all = get("/api/v1/upscale-batches?projectId=project-" + fixture.run + "&status=completed").getBody()
			.get("data");
		assertThat(all.get("items").findValuesAsString("batchId")).containsExactly(newest, newer, older);
		assertThat(get("/api/v1/upscale-batches?status=cancelled&profileId=" + fixture.profileId).getBody()
			.get("data")
			.get("items")).isEmpty();

		assertThat(get("/api/v1/upscale-batches?status=finished").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(get("/api/v1/upscale-batches?limit=0").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(get("/api/v1/upscale-batches?cursor=nonsense").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(get("/api/v1/upscale-batches?since=yesterday").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	@Order(6)
	void commandTopicCancelsPausesAndResumesAndActsOnceOnADuplicate() throws Exception {
		Fixture fixture = Fixture.create(5);
		String batchId = fixture.submit(1000);
		await().atMost(Duration.ofSeconds(30)).until(() -> fixture.starts().size() >= 1);
		try (KafkaProducer<String, String> producer = producer()) {
			BatchCommand pause = new BatchCommand(batchId, BatchCommand.PAUSE, null, "pause-" + fixture.run, "test",
					Instant.now());
			send(producer, batchId, UpscaleJson.write(pause));
			send(producer, batchId, UpscaleJson.write(pause));
			await().atMost(Duration.ofSeconds(15))
				.until(() -> "paused"
					.equals(get("/api/v1/upscale-batches/" + batchId).getBody().get("data").get("status").asString()));
			int startsAtPause = fixture.starts().size();
			BatchCommand resume = new BatchCommand(batchId, BatchCommand.RESUME, null, "resume-" + fixture.run, "test",
					Instant.now());
			send(producer, batchId, UpscaleJson.write(resume));
			send(producer, batchId, UpscaleJson.write(resume));
			send(producer, batchId, UpscaleJson.write(pause));
			await().atMost(Duration.ofSeconds(15)).until(() -> fixture.starts().size() > startsAtPause + 1);
			send(producer, batchId, UpscaleJson
				.write(new BatchCommand(batchId, BatchCommand.CANCEL, null, "cancel-" + fixture.run, "test", null)));
			send(producer, batchId, "{\"batchId\":\"" + batchId + "\",\"command\":\"explode\"}");
		}
		awaitCompleted(batchId);
		assertCompletedOnceFor(batchId, Duration.ofSeconds(1));
		assertThat(system.eventsOf(batchId).stream().filter(BatchPaused.class::isInstance)).hasSize(1);
		assertThat(system.eventsOf(batchId).stream().filter(BatchResumed.class::isInstance)).hasSize(1);
		assertThat(completions(batchId)).singleElement()
			.satisfies((completed) -> assertThat(completed.cancelledCount()).isEqualTo(5 - fixture.starts().size()));
		assertThat(get("/api/v1/upscale-batches/" + batchId).getBody().get("data").get("status").asString())
			.isEqualTo("cancelled");
		assertThat(deadLettered(batchId)).anySatisfy((value) -> assertThat(value).contains("explode"));
	}

	@Test
	@Order(7)
	void profilePauseHoldsThatProfilesItemsInTwoBatchesOnTwoWorkersAndNoOtherProfiles() {
		Fixture held = Fixture.create(4);
		Fixture other = Fixture.create(2);
		ResponseEntity<JsonNode> paused = post("/api/v1/profiles/" + held.profileId + "/pause");
		assertThat(paused.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(paused.getBody().get("data").get("state").asString()).isEqualTo("paused");

		String first = held.submit(0, held.sources.subList(0, 2));
		String firstWorker = system.workerIds().get(0);
		await().atMost(Duration.ofSeconds(15)).until(() -> firstWorker.equals(leasedBy(first)));
		String secondWorker = system.startWorker(Map.of("upscale.worker.max-leased-batches", "2"));
		String second = held.submit(0, held.sources.subList(2, 4));
		await().atMost(Duration.ofSeconds(30)).until(() -> secondWorker.equals(leasedBy(second)));
		String unaffected = other.submit(0);
		awaitCompleted(unaffected);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> held.starts().isEmpty());
		assertThat(other.starts()).hasSize(2);

		ResponseEntity<JsonNode> resumed = post("/api/v1/profiles/" + held.profileId + "/resume");
		assertThat(resumed.getBody().get("data").get("state").asString()).isEqualTo("active");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> List.of(first, second).stream().allMatch((id) -> !completions(id).isEmpty()));
		assertThat(held.starts()).hasSize(4);
		assertThat(post("/api/v1/profiles/nosuchprofile-" + held.run + "/pause").getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	@Order(8)
	void aBatchPausedWhenItsWorkerDiesStaysPausedAndResumesOnAnotherWorker() {
		Fixture fixture = Fixture.create(4);
		String batchId = fixture.submit(800);
		await().atMost(Duration.ofSeconds(30)).until(() -> fixture.starts().size() >= 1);
		String holder = leasedBy(batchId);
		assertThat(holder).isNotNull();

		assertThat(post("/api/v1/upscale-batches/" + batchId + "/pause").getStatusCode()).isEqualTo(HttpStatus.OK);
		await().atMost(Duration.ofSeconds(10)).until(() -> leasedBy(batchId) == null);
		system.stopWorker(holder);
		int startsAtPause = fixture.starts().size();
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(4))
			.until(() -> leasedBy(batchId) == null && fixture.starts().size() == startsAtPause);
		assertThat(get("/api/v1/upscale-batches/" + batchId).getBody().get("data").get("status").asString())
			.isEqualTo("paused");

		assertThat(post("/api/v1/upscale-batches/" + batchId + "/resume").getStatusCode()).isEqualTo(HttpStatus.OK);
		awaitCompleted(batchId);
		assertThat(fixture.starts()).hasSize(4);
		assertThat(system.workerIds()).doesNotContain(holder).isNotEmpty();
	}

	/**
	 * The batch's {@code completed} events received so far.
	 */
	private static List<BatchCompleted> completions(String batchId) {
		return system.eventsOf(batchId)
			.stream()
			.filter(BatchCompleted.class::isInstance)
			.map(BatchCompleted.class::cast)
			.toList();
	}

	private static void awaitCompleted(String batchId) {
		await().atMost(Duration.ofSeconds(30)).until(() -> !completions(batchId).isEmpty());
	}

	/**
	 * Checks that the batch, completed already, has one {@code completed} event and keeps
	 * one for a while.
	 */
	private static void assertCompletedOnceFor(String batchId, Duration during) {
		await().during(during).atMost(during.plusSeconds(2)).until(() -> completions(batchId).size() == 1);
	}

	private static String leasedBy(String batchId) {
		return system.sql.sql("select leased_by from batches where id = :id")
			.param("id", batchId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private static ResponseEntity<JsonNode> get(String path) {
		return system.gateway().get().uri(path).retrieve().toEntity(JsonNode.class);
	}

	private static ResponseEntity<JsonNode> post(String path) {
		return system.gateway().post().uri(path).retrieve().toEntity(JsonNode.class);
	}

	private static ResponseEntity<JsonNode> post(String path, Object body) {
		return system.gateway()
			.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(JsonNode.class);
	}

	private static KafkaProducer<String, String> producer() {
		Properties config = new Properties();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
		return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
	}

	private static void send(KafkaProducer<String, String> producer, String key, String value) throws Exception {
		producer.send(new ProducerRecord<>(Topics.BATCH_COMMANDS, key, value)).get();
	}

	private static List<String> deadLettered(String batchId) {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-probe-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<String> values = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(Topics.BATCH_COMMANDS + ".DLT"));
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					if (batchId.equals(record.key())) {
						values.add(record.value());
					}
				}
				return !values.isEmpty();
			});
		}
		return values;
	}

	/**
	 * A profile of its own with completed source videos, so that each test's starts are
	 * told apart in the simulator's log by their media ids.
	 */
	private static final class Fixture {

		final String run = UUID.randomUUID().toString().substring(0, 8);

		final String profileId = "profile-" + this.run;

		final List<String> sources = new ArrayList<>();

		final Set<String> media = new HashSet<>();

		static Fixture create(int sources) {
			Fixture fixture = new Fixture();
			system.put("/api/v1/profiles/" + fixture.profileId,
					Map.of("name", "Control", "loggedIn", true, "flowCookies", Map.of("sessionToken",
							"session-" + fixture.run, "expiresAt", Instant.now().plus(Duration.ofDays(7)).toString())));
			for (int i = 1; i <= sources; i++) {
				String source = "gen-" + i + "-" + fixture.run;
				String mediaId = "media-" + i + "-" + fixture.run;
				system.put("/api/v1/generations/" + source,
						RunningSystem.generation("project-" + fixture.run, fixture.profileId, "completed", mediaId));
				fixture.sources.add(source);
				fixture.media.add(mediaId);
			}
			return fixture;
		}

		String submit(int delayMs) {
			return submit(delayMs, this.sources);
		}

		String submit(int delayMs, List<String> sources) {
			ResponseEntity<JsonNode> accepted = post("/api/v1/upscale-batches",
					Map.of("requests", sources.stream().map((source) -> Map.of("sourceGenerationId", source)).toList(),
							"delayMs", delayMs));
			assertThat(accepted.getStatusCode()).as("%s", accepted.getBody()).isEqualTo(HttpStatus.ACCEPTED);
			return accepted.getBody().get("data").get("batchId").asString();
		}

		String submitAndWait(int delayMs) {
			String batchId = submit(delayMs, this.sources.subList(0, 1));
			awaitCompleted(batchId);
			return batchId;
		}

		List<StartCall> starts() {
			return simulator.starts().stream().filter((start) -> this.media.contains(start.mediaId())).toList();
		}

	}

}
