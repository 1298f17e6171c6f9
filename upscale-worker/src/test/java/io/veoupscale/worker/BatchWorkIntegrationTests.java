package io.veoupscale.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.simulator.SimulatedAccounts;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.ProfileRepository;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.SimulatorAdmin;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker against the real broker, PostgreSQL and the Flow simulator: validation,
 * every kind of upstream answer, throttling, and batches delivered twice.
 */
class BatchWorkIntegrationTests {

	private static WorkerTestSystem system;

	private static EventsProbe events;

	@BeforeAll
	static void start() {
		system = new WorkerTestSystem();
		system.startWorker(Map.of());
		events = EventsProbe.start();
	}

	@AfterAll
	static void stop() throws InterruptedException {
		events.close();
		system.close();
	}

	@Test
	void rejectsEachInvalidItemWithTheSeedMessageInTheSeedOrder() {
		String run = run();
		String good = "good-" + run;
		system.profile(good);
		String loggedOut = "logged-out-" + run;
		system.profile(loggedOut);
		profiles().save(loggedOut, "Logged out", false, null);
		String noCookies = "no-cookies-" + run;
		profiles().save(noCookies, "No cookies", true, null);
		String expired = "expired-" + run;
		profiles().save(expired, "Expired", true,
				new FlowCookies("session-" + expired, Instant.now().minus(Duration.ofMinutes(1))));
		system.generation("pending-" + run, good, "pending", "media-p-" + run);
		system.generation("no-media-" + run, good, "completed", null);
		system.generation("of-missing-profile-" + run, "nobody-" + run, "completed", "media-m-" + run);
		system.generation("of-logged-out-" + run, loggedOut, "completed", "media-l-" + run);
		system.generation("of-no-cookies-" + run, noCookies, "completed", "media-n-" + run);
		system.generation("of-expired-" + run, expired, "completed", "media-e-" + run);
		system.generation("valid-" + run, good, "completed", "media-v-" + run);

		String batchId = system
			.requestBatch(List.of("unknown-" + run, "pending-" + run, "no-media-" + run, "of-missing-profile-" + run,
					"of-logged-out-" + run, "of-no-cookies-" + run, "of-expired-" + run, "valid-" + run), 0);

		List<ItemProgressed> progress = awaitCompletion(batchId);
		assertThat(progress).extracting(ItemProgressed::error)
			.containsExactly("Source video not found", "Source video must be completed before upscaling",
					"Source video has no media generation ID", "Profile not found or not logged in",
					"Profile not found or not logged in", "Profile has no active 'flow' cookies",
					"Profile has no active 'flow' cookies", null);
		assertThat(progress.get(7).success()).isTrue();
		assertThat(events.of(batchId, BatchCompleted.class)).singleElement()
			.satisfies((completed) -> assertThat(completed.failureCount()).isEqualTo(7));
	}

	@Test
	void failsItemsFlowRefusesWithItsReasonAndGoesOn() {
		String run = run();
		String account = system.profile(run);
		List<String> sources = system.completedGenerations(run, 3);
		system.flow.addFault(Map.of("target", "start", "kind", "error", "account", account, "httpStatus", 403, "reason",
				"PUBLIC_ERROR_USER_REGION_DISALLOWED"));
		system.flow.addFault(Map.of("target", "start", "kind", "error", "account", account, "httpStatus", 403, "reason",
				"PUBLIC_ERROR_MODEL_ACCESS_DENIED"));

		String batchId = system.requestBatch(sources, 0);

		assertThat(awaitCompletion(batchId)).extracting(ItemProgressed::error)
			.containsExactly("Upscale request failed: PUBLIC_ERROR_USER_REGION_DISALLOWED",
					"Upscale request failed: PUBLIC_ERROR_MODEL_ACCESS_DENIED", null);
		assertThat(startsOf(batchId)).as("refused items are not retried").hasSize(3);
	}

	@Test
	void retriesTransientFailuresAndStartsOnce() {
		String run = run();
		String account = system.profile(run);
		List<String> sources = system.completedGenerations(run, 1);
		system.flow
			.addFault(Map.of("target", "start", "kind", "error", "account", account, "httpStatus", 503, "times", 2));

		String batchId = system.requestBatch(sources, 0);

		assertThat(awaitCompletion(batchId)).singleElement().satisfies((item) -> assertThat(item.success()).isTrue());
		assertThat(startsOf(batchId)).extracting(StartCall::outcome).containsExactly("503", "503", "accepted");
	}

	@Test
	void tracksAsInitiatedAStartFlowTookThoughItAnsweredAnError() {
		String run = run();
		String account = system.profile(run);
		List<String> sources = system.completedGenerations(run, 2);
		system.flow.addFault(Map.of("target", "start", "kind", "error", "account", account, "httpStatus", 409, "reason",
				"PUBLIC_ERROR_GENERATION_ALREADY_IN_PROGRESS"));
		system.flow.addFault(
				Map.of("target", "start", "kind", "error", "account", account, "httpStatus", 503, "afterWork", true));

		String batchId = system.requestBatch(sources, 0);

		List<ItemProgressed> progress = awaitCompletion(batchId);
		assertThat(progress.get(0).error())
			.isEqualTo("Upscale request failed: PUBLIC_ERROR_GENERATION_ALREADY_IN_PROGRESS"
					+ " (Flow already runs this scene but did not name its operation, so it cannot be tracked)");
		assertThat(progress.get(1).success()).as("the retry's 409 names the operation the first start made").isTrue();
		assertThat(progress.get(1).operationName()).isNotBlank();
		assertThat(startsOf(batchId)).extracting(StartCall::outcome).containsExactly("409", "accepted", "409");
	}

	@Test
	void recordsAsStartedAnUnansweredStartThatTookEffectWithoutResubmittingIt() {
		String run = run();
		String account = system.profile(run);
		List<String> sources = system.completedGenerations(run, 2);
		system.flow.addFault(Map.of("target", "start", "kind", "disconnect", "afterWork", true, "account", account));

		String batchId = system.requestBatch(sources, 0);

		List<ItemProgressed> progress = awaitCompletion(batchId);
		assertThat(progress).allMatch(ItemProgressed::success);
		assertThat(progress.get(0).operationName()).as("Flow names the upscale after its source")
			.isEqualTo("media-" + sources.get(0) + "_upsampled");
		assertThat(startsOf(batchId)).extracting(StartCall::outcome).containsExactly("accepted", "accepted");
	}

	@Test
	void failsAsOutcomeUnknownAnUnansweredStartFlowNeverTookAfterItsGrace() {
		String run = run();
		String account = system.profile(run);
		List<String> sources = system.completedGenerations(run, 2);
		system.flow.addFault(Map.of("target", "start", "kind", "disconnect", "account", account));

		String batchId = system.requestBatch(sources, 0);

		List<ItemProgressed> progress = awaitCompletion(batchId);
		assertThat(progress.get(0).error()).startsWith("Upscale request failed: outcome unknown");
		assertThat(progress.get(1).success()).isTrue();
		assertThat(startsOf(batchId)).extracting(StartCall::outcome).containsExactly("disconnected", "accepted");
		assertThat(system.flow.checks()).as("Flow was asked for the upscale within the grace, more than once")
			.filteredOn((check) -> check.names().contains("media-" + sources.get(0) + "_upsampled"))
			.hasSizeGreaterThan(1);
	}

	@Test
	void pausesAThrottledProfileUntilRetryAfterThenRetriesTheItem() {
		String run = run();
		String account = system.profile(run);
		List<String> sources = system.completedGenerations(run, 2);
		system.flow.addFault(Map.of("target", "start", "kind", "error", "account", account, "httpStatus", 429, "reason",
				"PUBLIC_ERROR_USER_REQUESTS_THROTTLED", "retryAfterSeconds", 1));

		String batchId = system.requestBatch(sources, 0);

		assertThat(awaitCompletion(batchId)).extracting(ItemProgressed::success).containsExactly(true, true);
		List<StartCall> starts = startsOf(batchId);
		assertThat(starts).extracting(StartCall::outcome).containsExactly("429", "accepted", "accepted");
		assertThat(Duration.between(starts.get(0).receivedAt(), starts.get(1).receivedAt()))
			.isGreaterThanOrEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void processesABatchDeliveredTwiceOnce() {
		String run = run();
		system.profile(run);
		List<String> sources = system.completedGenerations(run, 2);
		String batchId = "twice-" + run;
		String record = "{\"batchId\":\"" + batchId + "\",\"requests\":[{\"sourceGenerationId\":\"" + sources.get(0)
				+ "\"},{\"sourceGenerationId\":\"" + sources.get(1) + "\"}],\"delayMs\":0}";

		system.send(batchId, record);
		system.send(batchId, record);

		awaitCompletion(batchId);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
			assertThat(events.of(batchId, BatchStarted.class)).hasSize(1);
			assertThat(events.of(batchId, ItemProgressed.class)).hasSize(2);
			assertThat(events.of(batchId, BatchCompleted.class)).hasSize(1);
		});
		assertThat(startsOf(batchId)).hasSize(2).allMatch(StartCall::accepted);
	}

	@Test
	void spacesBatchStartsByTheirDelay() {
		String run = run();
		system.profile(run);
		List<String> sources = system.completedGenerations(run, 4);

		String batchId = system.requestBatch(sources, 250);

		awaitCompletion(batchId);
		assertThat(SimulatorAdmin.gapsBetweenAccepted(startsOf(batchId))).hasSize(3)
			.allSatisfy((gap) -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(250)));
	}

	@Test
	void holdsTheDelayAtFlowWhenTheFirstStartOfABatchArrivesLate() {
		String run = run();
		String account = system.profile(run);
		List<String> sources = system.completedGenerations(run, 3);
		system.flow.addFault(Map.of("target", "start", "kind", "slowArrival", "latencyMs", 50, "account", account));

		String batchId = system.requestBatch(sources, 300);

		awaitCompletion(batchId);
		assertThat(SimulatorAdmin.gapsBetweenAccepted(startsOf(batchId))).hasSize(2)
			.as("each start leaves the delay after the previous one was answered, so its gap at Flow holds")
			.allSatisfy((gap) -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(300)));
	}

	@Test
	void startsWithAProfilesNewCookiesOnceTheyAreReplaced() {
		String run = run();
		String oldAccount = system.profile(run);
		List<String> sources = system.completedGenerations(run, 2);
		awaitCompletion(system.requestBatch(sources.subList(0, 1), 0));
		profiles().save(run, "Profile " + run, true,
				new FlowCookies("renewed-" + run, Instant.now().plus(Duration.ofDays(7))));

		String batchId = system.requestBatch(sources.subList(1, 2), 0);

		awaitCompletion(batchId);
		assertThat(startsOf(batchId)).singleElement()
			.satisfies((start) -> assertThat(start.account()).isNotEqualTo(oldAccount)
				.isEqualTo(SimulatedAccounts.accountOf("renewed-" + run)));
	}

	private static List<ItemProgressed> awaitCompletion(String batchId) {
		await().atMost(Duration.ofSeconds(30)).until(() -> !events.of(batchId, BatchCompleted.class).isEmpty());
		return events.of(batchId, ItemProgressed.class);
	}

	private static List<StartCall> startsOf(String batchId) {
		List<String> scenes = system.sceneIdsOf(batchId);
		return system.flow.starts().stream().filter((start) -> scenes.contains(start.sceneId())).toList();
	}

	private static ProfileRepository profiles() {
		return system.bean(ProfileRepository.class);
	}

	private static String run() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
