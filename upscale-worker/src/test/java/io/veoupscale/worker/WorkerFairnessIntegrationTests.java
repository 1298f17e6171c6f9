package io.veoupscale.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.ServiceProcess;
import io.veoupscale.testsupport.SimulatorAdmin;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two workers with the default settings (1 s profile spacing, 30 s leases) and many
 * profiles' batches: an idle profile is not held up by another profile's backlog, a
 * hundred profiles start together and stay paced, and a worker killed among them loses
 * and repeats nothing.
 */
class WorkerFairnessIntegrationTests {

	private static final Duration SPACING = Duration.ofSeconds(1);

	private WorkerTestSystem system;

	private EventsProbe events;

	private String group;

	private ServiceProcess doomed;

	private final List<String> leftOver = new ArrayList<>();

	@BeforeEach
	void start() {
		this.system = new WorkerTestSystem();
		this.events = EventsProbe.start();
		this.group = "fair-" + UUID.randomUUID();
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.doomed != null) {
			this.doomed.kill();
		}
		this.events.close();
		this.system.close();
		WorkerTestSystem.discard(this.leftOver);
	}

	@Test
	void startsAnIdleProfilesBatchAtOnceBehindAnotherProfilesBacklog() {
		startTwoWorkers();
		String busy = "busy-" + run();
		this.system.profile(busy);
		List<String> busySources = this.system.completedGenerations(busy, 90);
		String idle = "idle-" + run();
		this.system.profile(idle);
		List<String> idleSources = this.system.completedGenerations(idle, 2);
		List<List<String>> backlog = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			backlog.add(busySources.subList(3 * i, 3 * i + 3));
		}
		this.leftOver.addAll(this.system.requestBatches(backlog, 1000));

		String idleBatch = this.system.requestBatch(idleSources, 0);
		Instant accepted = Instant.now();
		this.leftOver.add(idleBatch);

		StartCall first = await().atMost(Duration.ofSeconds(20))
			.until(() -> startsOf(idleBatch).stream().filter(StartCall::accepted).findFirst().orElse(null),
					(call) -> call != null);
		assertThat(Duration.between(accepted, first.receivedAt()))
			.as("the idle profile's first start reaches Flow within 2 s of its batch's acceptance")
			.isLessThanOrEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void startsAHundredProfilesTogetherAndPacesEach() {
		startTwoWorkers();
		Map<String, List<String>> sources = hundredProfiles();

		Instant firstSubmit = Instant.now();
		Map<String, String> batches = submit(sources);

		awaitAllCompleted(batches.keySet(), Duration.ofSeconds(90));
		List<StartCall> starts = this.system.flow.starts();
		for (Map.Entry<String, String> batch : batches.entrySet()) {
			List<StartCall> ofBatch = startsOf(batch.getKey(), starts);
			assertThat(ofBatch).hasSize(3).allMatch(StartCall::accepted);
			assertThat(Duration.between(firstSubmit, ofBatch.get(0).receivedAt()))
				.as("first start of %s within 5 s of the first submission", batch.getKey())
				.isLessThanOrEqualTo(Duration.ofSeconds(5));
			assertThat(SimulatorAdmin.gapsBetweenAccepted(ofBatch)).as("gaps of %s", batch.getKey())
				.allSatisfy((gap) -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(1000)));
			List<StartCall> ofProfile = starts.stream()
				.filter((start) -> batch.getValue().equals(start.account()))
				.toList();
			assertThat(SimulatorAdmin.gapsBetweenAccepted(ofProfile)).as("gaps of profile %s", batch.getValue())
				.allSatisfy((gap) -> assertThat(gap).isGreaterThanOrEqualTo(SPACING));
		}
		assertCompletedOnce(batches.keySet());
	}

	@Test
	void losesAndRepeatsNothingWhenAWorkerIsKilledAmongAHundredBatches() throws Exception {
		this.doomed = this.system.launchWorkerProcess(Map.of("spring.kafka.consumer.group-id", this.group), "doomed")
			.awaitReady(Duration.ofSeconds(120));
		// Half the batches for each: the first worker up would otherwise lease them all.
		this.system.startDefaultWorker(
				Map.of("spring.kafka.consumer.group-id", this.group, "upscale.worker.max-leased-batches", "50"));
		Map<String, String> batches = submit(hundredProfiles());

		await().atMost(Duration.ofSeconds(60)).until(() -> this.system.sql().sql("""
				select count(*) from batch_items i join batches b on b.id = i.batch_id
				where b.leased_by = 'doomed' and i.status = 'started'
				""").query(Long.class).single() >= 5);
		this.doomed.kill();

		awaitAllCompleted(batches.keySet(), Duration.ofSeconds(120));
		List<StartCall> starts = this.system.flow.starts();
		Set<String> scenes = new HashSet<>();
		for (String batchId : batches.keySet()) {
			scenes.addAll(this.system.sceneIdsOf(batchId));
		}
		List<String> startedScenes = starts.stream()
			.map(StartCall::sceneId)
			.filter(scenes::contains)
			.collect(Collectors.toList());
		assertThat(startedScenes).as("no item started twice").doesNotHaveDuplicates();
		assertThat(this.system.sql()
			.sql("select count(*) from batch_items where batch_id = any(:ids) and status in ('started', 'failed')")
			.param("ids", batches.keySet().toArray(String[]::new))
			.query(Long.class)
			.single()).isEqualTo(300);
		assertCompletedOnce(batches.keySet());
	}

	/**
	 * Starts two workers and warms them up with a few small batches, as long-running
	 * workers are warm.
	 */
	private void startTwoWorkers() {
		Map<String, String> defaults = Map.of("spring.kafka.consumer.group-id", this.group);
		this.system.startDefaultWorker(defaults);
		this.system.startDefaultWorker(defaults);
		List<List<String>> warmUp = new ArrayList<>();
		for (int p = 0; p < 8; p++) {
			String profile = "warm-" + run();
			this.system.profile(profile);
			warmUp.add(this.system.completedGenerations(profile, 2));
		}
		awaitAllCompleted(new HashSet<>(this.system.requestBatches(warmUp, 0)), Duration.ofSeconds(60));
	}

	/**
	 * Registers a hundred profiles with three source videos each.
	 * @return the source ids by the account of their profile
	 */
	private Map<String, List<String>> hundredProfiles() {
		Map<String, List<String>> sources = new LinkedHashMap<>();
		String run = run();
		for (int p = 1; p <= 100; p++) {
			String profile = "p" + p + "-" + run;
			String account = this.system.profile(profile);
			sources.put(account, this.system.completedGenerations(profile, 3));
		}
		return sources;
	}

	/**
	 * Submits one batch per profile at {@code delayMs} 1000, together.
	 * @return the account of each batch's profile, by batch id
	 */
	private Map<String, String> submit(Map<String, List<String>> sources) {
		List<String> accounts = new ArrayList<>(sources.keySet());
		List<String> ids = this.system.requestBatches(new ArrayList<>(sources.values()), 1000);
		this.leftOver.addAll(ids);
		Map<String, String> batches = new LinkedHashMap<>();
		for (int i = 0; i < ids.size(); i++) {
			batches.put(ids.get(i), accounts.get(i));
		}
		return batches;
	}

	private void awaitAllCompleted(Set<String> batchIds, Duration timeout) {
		await().atMost(timeout)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> batchIds.stream().allMatch((id) -> !this.events.of(id, BatchCompleted.class).isEmpty()));
	}

	private void assertCompletedOnce(Set<String> batchIds) {
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(batchIds).allSatisfy((id) -> assertThat(
					this.events.of(id, BatchCompleted.class).stream().map(BatchCompleted::eventId).distinct())
				.hasSize(1)));
	}

	private List<StartCall> startsOf(String batchId) {
		return startsOf(batchId, this.system.flow.starts());
	}

	private List<StartCall> startsOf(String batchId, List<StartCall> starts) {
		List<String> scenes = this.system.sceneIdsOf(batchId);
		return starts.stream().filter((start) -> scenes.contains(start.sceneId())).toList();
	}

	private static String run() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
