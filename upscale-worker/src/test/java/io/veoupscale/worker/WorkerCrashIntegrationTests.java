package io.veoupscale.worker;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.ServiceProcess;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process killed with SIGKILL in the middle of a batch, and a second instance
 * that takes the batch over when the dead one's lease runs out: every item ends once, no
 * item is started twice at Flow, and the batch completes once.
 */
class WorkerCrashIntegrationTests {

	private WorkerTestSystem system;

	private EventsProbe events;

	private String group;

	private ServiceProcess doomed;

	@BeforeEach
	void start() {
		this.system = new WorkerTestSystem();
		this.events = EventsProbe.start();
		this.group = "crash-" + UUID.randomUUID();
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.doomed != null) {
			this.doomed.kill();
		}
		this.events.close();
		this.system.close();
	}

	@Test
	void resumesAtTheFirstUnfinishedItemAfterAKillBetweenStarts() throws Exception {
		Scenario scenario = startDoomedWorkerOnABatch(6, 700);

		await().atMost(Duration.ofSeconds(30)).until(() -> startedItems(scenario.batchId()) >= 2);
		kill();
		this.system.startWorker(Map.of("spring.kafka.consumer.group-id", this.group));

		assertEveryItemEndedOnce(scenario);
		assertThat(this.events.of(scenario.batchId(), ItemProgressed.class)).allMatch(ItemProgressed::success);
	}

	@Test
	void neverResubmitsAStartWhoseAnswerWasLostWithTheProcessAndFindsItAtFlow() throws Exception {
		Map<String, String> spaced = Map.of("upscale.worker.profile-min-spacing", "200ms");
		Scenario scenario = startDoomedWorkerOnABatch(4, 0, spaced);
		this.system.flow.addFault(Map.of("target", "start", "kind", "latency", "latencyMs", 2500, "account",
				scenario.account(), "times", 0));

		// Killed once the start reached Flow, which holds it for the latency: an earlier
		// kill would leave a start that was never sent, whose outcome stays unknown.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> startingItems(scenario.batchId()) == 1
					&& this.system.flow.arrivedStarts(scenario.account()) == 1);
		kill();
		this.system.flow.clearFaults();
		Map<String, String> successor = new HashMap<>(spaced);
		successor.put("spring.kafka.consumer.group-id", this.group);
		successor.put("flow.read-timeout", "30s");
		this.system.startWorker(successor);

		// The profile's start in flight died with its worker: the successor goes on once
		// the lease is gone, not after the longest a Flow call may take (35 s here).
		await().atMost(Duration.ofSeconds(20))
			.until(() -> !this.events.of(scenario.batchId(), BatchCompleted.class).isEmpty());
		assertEveryItemEndedOnce(scenario);
		// The start in flight reached Flow (late) after its worker died; the successor
		// asks
		// Flow for the upscale of its source rather than giving up on it.
		assertThat(this.events.of(scenario.batchId(), ItemProgressed.class)).allMatch(ItemProgressed::success);
	}

	private Scenario startDoomedWorkerOnABatch(int items, int delayMs) throws IOException {
		return startDoomedWorkerOnABatch(items, delayMs, Map.of());
	}

	private Scenario startDoomedWorkerOnABatch(int items, int delayMs, Map<String, String> overrides)
			throws IOException {
		this.system.startWorker(Map.of("spring.kafka.consumer.group-id", "helper-" + this.group,
				"upscale.worker.claim-interval", "1h", "upscale.worker.claim-on-intake", "false"));
		String profile = UUID.randomUUID().toString().substring(0, 8);
		String account = this.system.profile(profile);
		List<String> sources = this.system.completedGenerations(profile, items);
		this.doomed = launchWorkerProcess(overrides);
		String batchId = this.system.requestBatch(sources, delayMs);
		// The process starts first (a JVM of its own: slow on a loaded machine), then
		// takes
		// the batch.
		await().atMost(Duration.ofSeconds(180))
			.until(() -> "doomed".equals(this.system.sql()
				.sql("select leased_by from batches where id = :id")
				.param("id", batchId)
				.query(String.class)
				.optional()
				.orElse(null)));
		return new Scenario(batchId, account);
	}

	private ServiceProcess launchWorkerProcess(Map<String, String> overrides) {
		Map<String, String> properties = new HashMap<>(WorkerTestSystem.FAST);
		properties.putAll(overrides);
		properties.put("spring.kafka.consumer.group-id", this.group);
		return this.system.launchWorkerProcess(properties, "doomed");
	}

	private void kill() throws InterruptedException {
		this.doomed.kill();
	}

	private void assertEveryItemEndedOnce(Scenario scenario) {
		await().atMost(Duration.ofSeconds(40))
			.until(() -> !this.events.of(scenario.batchId(), BatchCompleted.class).isEmpty());
		List<String> scenes = this.system.sceneIdsOf(scenario.batchId());
		List<StartCall> starts = this.system.flow.starts()
			.stream()
			.filter((start) -> scenes.contains(start.sceneId()))
			.toList();
		assertThat(starts).extracting(StartCall::sceneId).doesNotHaveDuplicates();
		assertThat(this.system.sql()
			.sql("select count(*) from batch_items where batch_id = :id and status in ('started', 'failed')")
			.param("id", scenario.batchId())
			.query(Long.class)
			.single()).isEqualTo(scenes.size());
		// Each event is emitted once and published once, even by a relay killed with its
		// worker between Kafka's acknowledgement and its delete.
		List<ItemProgressed> progress = this.events.of(scenario.batchId(), ItemProgressed.class);
		assertThat(progress).extracting(ItemProgressed::index).doesNotHaveDuplicates().hasSize(scenes.size());
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(this.events.of(scenario.batchId(), BatchCompleted.class)).hasSize(1));
	}

	private long startedItems(String batchId) {
		return itemsIn(batchId, "started");
	}

	private long startingItems(String batchId) {
		return itemsIn(batchId, "starting");
	}

	private long itemsIn(String batchId, String status) {
		return this.system.sql()
			.sql("select count(*) from batch_items where batch_id = :id and status = :status")
			.param("id", batchId)
			.param("status", status)
			.query(Long.class)
			.single();
	}

	private record Scenario(String batchId, String account) {
	}

}
