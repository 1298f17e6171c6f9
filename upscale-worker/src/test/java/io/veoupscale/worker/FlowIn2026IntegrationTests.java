package io.veoupscale.worker;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.flow.AspectRatio;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker against Flow as it is in 2026, through the simulator: sources sent in their
 * own aspect ratio, the seed's deprecated model sent as its current key, upscales Flow
 * had recorded rather than failed, quotas that hold a profile (or a model) for every
 * worker without a call until they reset, concurrent limits waited out, tiers and credits
 * checked before a call, reCAPTCHA refusals backed off. Quotas reset on clocks the test
 * moves: the simulator's and the worker's quota clock.
 */
class FlowIn2026IntegrationTests {

	private static final String HD = "veo_3_1_upsampler_1080p";

	private static final String UHD = "veo_3_1_upsampler_4k";

	private static final MovableClock quotaClock = new MovableClock();

	private static WorkerTestSystem system;

	private static EventsProbe events;

	@BeforeAll
	static void start() {
		system = new WorkerTestSystem();
		system.startWorker(Map.of(), quotaClock);
		events = EventsProbe.start();
	}

	@AfterAll
	static void stop() throws InterruptedException {
		events.close();
		system.close();
	}

	@Test
	void sendsAPortraitSourceAsPortraitAndTheSeedsDefaultModelAsItsCurrentKey() {
		String run = run();
		system.profile(run);
		system.shapedGeneration("short-" + run, run, "media-short-" + run, AspectRatio.PORTRAIT);
		system.shapedGeneration("square-" + run, run, "media-square-" + run, AspectRatio.SQUARE);

		String batchId = system.requestBatchOf(
				List.of(new UpscaleRequest("short-" + run, null), new UpscaleRequest("square-" + run, HD)), 0);

		assertThat(awaitCompletion(batchId)).allMatch(ItemProgressed::success);
		assertThat(startsOf(batchId)).extracting(StartCall::aspectRatio, StartCall::model)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("VIDEO_ASPECT_RATIO_PORTRAIT", HD),
					org.assertj.core.groups.Tuple.tuple("VIDEO_ASPECT_RATIO_SQUARE", HD));
		assertThat(system.sql()
			.sql("select model || ' sent as ' || model_key from upscales where batch_id = :id order by item_index")
			.param("id", batchId)
			.query(String.class)
			.list()).containsExactly("veo_2_1080p_upsampler_8s sent as " + HD, HD + " sent as " + HD);
	}

	@Test
	void recordsAVideoFlowUpscaledAlreadyAsStartedAndTracksTheUpscaleFlowHandsBack() {
		String run = run();
		system.profile(run);
		List<String> sources = system.completedGenerations(run, 1);
		List<ItemProgressed> first = awaitCompletion(system.requestBatch(sources, 0));

		String again = system.requestBatch(sources, 0);

		assertThat(awaitCompletion(again)).singleElement().satisfies((item) -> {
			assertThat(item.success()).isTrue();
			assertThat(item.operationName()).isEqualTo(first.get(0).operationName());
		});
		assertThat(startsOf(again)).extracting(StartCall::outcome).containsExactly("existing");
	}

	@Test
	void holdsAProfileWhoseQuotaIsSpentWithoutACallUntilTheQuotaResets() {
		String run = run();
		String account = system.profile(run);
		system.flow.configureAccount(account, Map.of("dailyQuota", 1));
		List<String> sources = system.completedGenerations(run, 4);

		String batchId = system.requestBatch(sources, 0);
		List<ItemProgressed> progress = awaitCompletion(batchId);
		String other = system.requestBatch(List.of(sources.get(3)), 0);

		assertThat(progress.get(0).success()).isTrue();
		assertThat(progress.subList(1, 4)).extracting(ItemProgressed::error)
			.allSatisfy((error) -> assertThat(error)
				.startsWith("Upscale request failed: PUBLIC_ERROR_USER_QUOTA_REACHED (the account's quota is spent; "
						+ "no start until it resets at "));
		assertThat(awaitCompletion(other)).singleElement()
			.satisfies((item) -> assertThat(item.error()).contains("PUBLIC_ERROR_USER_QUOTA_REACHED"));
		assertThat(system.flow.starts()).as("one start taken, one refused, nothing sent after the refusal")
			.filteredOn((start) -> account.equals(start.account()))
			.extracting(StartCall::outcome)
			.containsExactly("accepted", "429");

		untilTheNextUtcMidnight();
		String afterReset = system.requestBatch(sources.subList(1, 3), 0);

		assertThat(awaitCompletion(afterReset)).extracting(ItemProgressed::success).containsExactly(true, false);
		// The simulator's day moved on, so the session's access token expired there: the
		// first start is refused 401 and, with a new token, sent again.
		assertThat(startsOf(afterReset)).extracting(StartCall::outcome)
			.filteredOn((outcome) -> !"401".equals(outcome))
			.as("the new day's quota of one is spent again")
			.containsExactly("accepted", "429");
	}

	@Test
	void holdsOnlyTheModelWhoseDailyQuotaIsSpent() {
		String run = run();
		String account = system.profile(run);
		system.flow.configureAccount(account, Map.of("credits", 1000, "modelDailyQuotas", Map.of(UHD, 1)));
		List<String> sources = system.completedGenerations(run, 4);

		String batchId = system
			.requestBatchOf(List.of(new UpscaleRequest(sources.get(0), UHD), new UpscaleRequest(sources.get(1), UHD),
					new UpscaleRequest(sources.get(2), UHD), new UpscaleRequest(sources.get(3), HD)), 0);

		List<ItemProgressed> progress = awaitCompletion(batchId);
		assertThat(progress).extracting(ItemProgressed::success).containsExactly(true, false, false, true);
		assertThat(progress.get(2).error()).startsWith("Upscale request failed: "
				+ "PUBLIC_ERROR_PER_MODEL_DAILY_QUOTA_REACHED (the daily quota of veo_3_1_upsampler_4k is spent");
		assertThat(startsOf(batchId)).extracting(StartCall::outcome).containsExactly("accepted", "429", "accepted");
	}

	@Test
	void failsAnItemTheProfilesTierOrCreditsDoNotAllowBeforeAnyCall() {
		String pro = run();
		system.flow.configureAccount(system.profile(pro), Map.of("tier", "PAYGATE_TIER_ONE"));
		String poor = run();
		system.flow.configureAccount(system.profile(poor), Map.of("credits", 60));
		List<String> proSources = system.completedGenerations(pro, 2);
		List<String> poorSources = system.completedGenerations(poor, 2);

		String proBatch = system.requestBatchOf(
				List.of(new UpscaleRequest(proSources.get(0), HD), new UpscaleRequest(proSources.get(1), UHD)), 0);
		String poorBatch = system.requestBatchOf(
				List.of(new UpscaleRequest(poorSources.get(0), UHD), new UpscaleRequest(poorSources.get(1), UHD)), 0);

		assertThat(awaitCompletion(proBatch)).extracting(ItemProgressed::error)
			.containsExactly(null, "Upscale request failed: TIER_TOO_LOW (veo_3_1_upsampler_4k needs an Ultra "
					+ "account; this profile's is Pro)");
		assertThat(startsOf(proBatch)).hasSize(1);
		assertThat(awaitCompletion(poorBatch)).extracting(ItemProgressed::error)
			.containsExactly(null, "Upscale request failed: NOT_ENOUGH_CREDITS (veo_3_1_upsampler_4k costs 50 "
					+ "credits; this profile's account has 10 left)");
		assertThat(startsOf(poorBatch)).as("the credits the first start's answer reported stop the second").hasSize(1);
		assertThat(system.sql()
			.sql("select tier || ' ' || credits from profile_accounts where profile_id = :id")
			.param("id", poor)
			.query(String.class)
			.single()).isEqualTo("PAYGATE_TIER_TWO 10");
	}

	@Test
	void waitsForARunningJobWhenTheConcurrentLimitIsReachedWithoutFailingTheItem() {
		String run = run();
		String account = system.profile(run);
		system.flow.configureAccount(account, Map.of("concurrentLimit", 1));
		List<String> sources = system.completedGenerations(run, 2);

		String batchId = system.requestBatch(sources, 0);

		assertThat(awaitCompletion(batchId, Duration.ofSeconds(40))).allMatch(ItemProgressed::success);
		List<StartCall> starts = startsOf(batchId);
		assertThat(starts.get(0).outcome()).isEqualTo("accepted");
		assertThat(starts.get(starts.size() - 1).outcome()).isEqualTo("accepted");
		assertThat(starts.subList(1, starts.size() - 1)).isNotEmpty()
			.allMatch((start) -> "429".equals(start.outcome()));
		assertThat(Duration.between(starts.get(0).receivedAt(), starts.get(starts.size() - 1).receivedAt()))
			.as("the second starts once the first job ended at the simulator (8 s)")
			.isGreaterThanOrEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void pausesAProfileAfterRepeatedRecaptchaRefusalsWithAGrowingBackoff() {
		String run = run();
		String account = system.profile(run);
		system.flow.addFault(Map.of("target", "start", "kind", "error", "account", account, "httpStatus", 403, "reason",
				"PUBLIC_ERROR_UNUSUAL_ACTIVITY", "message", "reCAPTCHA evaluation failed", "times", 2));
		List<String> sources = system.completedGenerations(run, 1);

		String batchId = system.requestBatch(sources, 0);

		assertThat(awaitCompletion(batchId)).allMatch(ItemProgressed::success);
		List<StartCall> starts = startsOf(batchId);
		assertThat(starts).extracting(StartCall::outcome).containsExactly("403", "403", "accepted");
		assertThat(Duration.between(starts.get(1).receivedAt(), starts.get(2).receivedAt()))
			.as("the second pause is twice the first (500 ms)")
			.isGreaterThanOrEqualTo(Duration.ofMillis(1000));
		assertThat(system.sql()
			.sql("select last_refusal_reason from profile_pacing where profile_id = :id")
			.param("id", run)
			.query(String.class)
			.single()).isEqualTo("PUBLIC_ERROR_UNUSUAL_ACTIVITY");
	}

	/**
	 * Moves the simulator and the worker's quota clock just past their next UTC midnight.
	 */
	private static void untilTheNextUtcMidnight() {
		system.flow.advanceClock(sinceMidnight(system.flow.now()));
		quotaClock.advance(sinceMidnight(quotaClock.instant()));
	}

	private static Duration sinceMidnight(Instant now) {
		Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC)
			.plusDays(1)
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant();
		return Duration.between(now, midnight).plusSeconds(1);
	}

	private static List<ItemProgressed> awaitCompletion(String batchId) {
		return awaitCompletion(batchId, Duration.ofSeconds(30));
	}

	private static List<ItemProgressed> awaitCompletion(String batchId, Duration timeout) {
		await().atMost(timeout).until(() -> !events.of(batchId, BatchCompleted.class).isEmpty());
		return events.of(batchId, ItemProgressed.class);
	}

	private static List<StartCall> startsOf(String batchId) {
		List<String> scenes = system.sceneIdsOf(batchId);
		return system.flow.starts().stream().filter((start) -> scenes.contains(start.sceneId())).toList();
	}

	private static String run() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
