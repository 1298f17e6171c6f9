package io.veoupscale.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SimulatorStateTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

	private final SimulatorProperties properties = SimulatorPropertiesTests
		.bind(Map.of("flow.simulator.pending-for", "1s", "flow.simulator.complete-after", "8s",
				"flow.simulator.media-url-delay", "2s", "flow.simulator.expired-session-tokens", "dead-session"));

	private final SimulatorState state = new SimulatorState(new SimulatorClock(this.clock), this.properties);

	@Test
	void operationIsPendingThenActiveThenSuccessfulAtTheConfiguredTimes() {
		SimulatedOperation operation = startOne("scene-1", null);

		assertThat(statusAfter(operation, Duration.ZERO)).isEqualTo(GenerationStatus.PENDING);
		assertThat(statusAfter(operation, Duration.ofMillis(999))).isEqualTo(GenerationStatus.PENDING);
		assertThat(statusAfter(operation, Duration.ofSeconds(1))).isEqualTo(GenerationStatus.ACTIVE);
		assertThat(statusAfter(operation, Duration.ofMillis(7999))).isEqualTo(GenerationStatus.ACTIVE);
		assertThat(statusAfter(operation, Duration.ofSeconds(8))).isEqualTo(GenerationStatus.SUCCESSFUL);
		assertThat(operation.name()).as("named after its source, as Flow names upscales")
			.isEqualTo("media-scene-1_upsampled");
	}

	@Test
	void failingOperationReportsFailedWithReasonsOncePastPending() {
		SimulatedOperation operation = startOne("scene-1", List.of("PROMINENT_PERSON"));

		Instant start = operation.startedAt();

		assertThat(statusAfter(operation, Duration.ZERO)).isEqualTo(GenerationStatus.PENDING);
		assertThat(operation.reportedFailureReasons(start, this.properties)).isEmpty();
		assertThat(statusAfter(operation, Duration.ofSeconds(1))).isEqualTo(GenerationStatus.FAILED);
		assertThat(operation.reportedFailureReasons(start.plusSeconds(1), this.properties))
			.containsExactly("PROMINENT_PERSON");
		assertThat(statusAfter(operation, Duration.ofSeconds(60))).isEqualTo(GenerationStatus.FAILED);
		assertThat(operation.mediaReadyAt(start.plusSeconds(60), this.properties)).isFalse();
	}

	@Test
	void mediaIsReadyOnlyOnceTheMediaUrlDelayHasPassedAfterSuccess() {
		SimulatedOperation operation = startOne("scene-1", null);
		Instant start = this.clock.instant();

		assertThat(operation.mediaReadyAt(start.plusSeconds(8), this.properties)).isFalse();
		assertThat(operation.mediaReadyAt(start.plusMillis(9999), this.properties)).isFalse();
		assertThat(operation.mediaReadyAt(start.plusSeconds(10), this.properties)).isTrue();
	}

	@Test
	void secondStartOfAnAcceptedSceneConflictsAndBothAreLogged() {
		startOne("scene-1", null);

		SimulatorState.StartResult second = this.state.start(List.of(scene("scene-1")), "project", "acct", now(), null,
				true);

		assertThat(second.conflictingSceneId()).isEqualTo("scene-1");
		assertThat(second.scenes()).isEmpty();
		assertThat(this.state.starts()).extracting(StartCall::outcome).containsExactly("accepted", "409");
	}

	@Test
	void startWithTheSameSceneTwiceInOneCallCreatesNothing() {
		SimulatorState.StartResult result = this.state.start(List.of(scene("scene-1"), scene("scene-1")), "project",
				"acct", now(), null, true);

		assertThat(result.conflictingSceneId()).isEqualTo("scene-1");
		assertThat(this.state.operation("scene-1")).isEmpty();
		assertThat(this.state.starts()).extracting(StartCall::outcome).containsExactly("409", "409");
	}

	@Test
	void tokensStopWorkingAfterTheirLifetime() {
		String token = this.state.openSession("session").orElseThrow().value();

		this.clock.advance(Duration.ofMinutes(59));
		assertThat(this.state.grantFor(token)).isPresent();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.state.grantFor(token)).isEmpty();
	}

	@Test
	void expiringASessionRevokesItsTokensOnly() {
		String token = this.state.openSession("session").orElseThrow().value();
		String other = this.state.openSession("other-session").orElseThrow().value();

		this.state.expireSession("session");

		assertThat(this.state.grantFor(token)).isEmpty();
		assertThat(this.state.openSession("session")).isEmpty();
		assertThat(this.state.grantFor(other)).isPresent();
	}

	@Test
	void configuredExpiredSessionsMintNoToken() {
		assertThat(this.state.openSession("dead-session")).isEmpty();
		assertThat(this.state.isSessionAlive("dead-session")).isFalse();
	}

	@Test
	void faultRulesApplyInInsertionOrderAndRunOutAfterTheirTimes() {
		this.state.addFault(rule(FaultKind.ERROR, 2, "acct-a"));
		this.state.addFault(rule(FaultKind.LATENCY, 1, null));

		assertThat(this.state.takeFault(FaultTarget.START, "acct-b")).map(FaultRule::kind).contains(FaultKind.LATENCY);
		assertThat(this.state.takeFault(FaultTarget.START, "acct-b")).isEmpty();
		assertThat(this.state.takeFault(FaultTarget.CHECK, "acct-a")).isEmpty();
		assertThat(this.state.takeFault(FaultTarget.START, "acct-a")).map(FaultRule::kind).contains(FaultKind.ERROR);
		assertThat(this.state.faults()).singleElement().extracting(InstalledFault::remaining).isEqualTo(1);
		assertThat(this.state.takeFault(FaultTarget.START, "acct-a")).map(FaultRule::kind).contains(FaultKind.ERROR);
		assertThat(this.state.takeFault(FaultTarget.START, "acct-a")).isEmpty();
		assertThat(this.state.faults()).isEmpty();
	}

	@Test
	void faultRuleWithZeroTimesAppliesUntilCleared() {
		this.state.addFault(rule(FaultKind.ERROR, 0, null));

		for (int i = 0; i < 5; i++) {
			assertThat(this.state.takeFault(FaultTarget.START, "acct")).isPresent();
		}
		this.state.clearFaults();
		assertThat(this.state.takeFault(FaultTarget.START, "acct")).isEmpty();
	}

	@Test
	void probableFaultSparesSomeCallsWithoutUsingThemUp() {
		this.state.addFault(new FaultRule(FaultTarget.START, FaultKind.ERROR, 0, null, 500, null, null, null, null,
				null, null, null, 0.25));

		long affected = java.util.stream.IntStream.range(0, 4000)
			.filter((i) -> this.state.takeFault(FaultTarget.START, "acct").isPresent())
			.count();

		assertThat(affected).isBetween(800L, 1200L);
		assertThat(this.state.faults()).hasSize(1);
	}

	@Test
	void faultRuleDefaultsToOneTimeAndAStatusDerivedFromTheHttpStatus() {
		FaultRule rule = new FaultRule(FaultTarget.CHECK, FaultKind.ERROR, null, null, 429, null, null, null, null,
				null, null, null, null)
			.withDefaults();

		assertThat(rule.times()).isEqualTo(1);
		assertThat(rule.rpcStatus()).isEqualTo("RESOURCE_EXHAUSTED");
		assertThat(rule.toRpcException().httpStatus()).isEqualTo(429);
	}

	@Test
	void failOperationIsRejectedForTargetsOtherThanStart() {
		FaultRule rule = new FaultRule(FaultTarget.CHECK, FaultKind.FAIL_OPERATION, null, null, null, null, null, null,
				null, null, null, null, null);

		assertThatIllegalArgumentException().isThrownBy(rule::withDefaults).withMessageContaining("start");
	}

	@Test
	void askingAgainForAnUpscaledSourceHandsBackItsUpscaleAtNoCost() {
		this.state.configureAccount("acct", new AccountSettings(null, 100, 1, null, null));
		SimulatedOperation first = this.state
			.start(List.of(scene("scene-1", "media-x", "veo_3_1_upsampler_4k")), "p", "acct", now(), null, true)
			.scenes()
			.get(0)
			.operation();

		SimulatorState.StartResult again = this.state
			.start(List.of(scene("scene-2", "media-x", "veo_3_1_upsampler_4k")), "p", "acct", now(), null, true);

		assertThat(again.scenes()).singleElement().satisfies((scene) -> {
			assertThat(scene.existing()).isTrue();
			assertThat(scene.operation()).isEqualTo(first);
		});
		assertThat(again.remainingCredits()).as("one 4K upscale charged, the repeat free").isEqualTo(50);
		assertThat(this.state.starts()).extracting(StartCall::outcome).containsExactly("accepted", "existing");
	}

	@Test
	void aFailedOrCancelledUpscaleIsStartedAnew() {
		SimulatedOperation first = startOne("scene-1", null);
		this.state.reportStatus(first.name(), GenerationStatus.CANCELED);

		SimulatorState.StartResult again = this.state.start(
				List.of(scene("scene-2", first.mediaId(), "veo_3_1_upsampler_1080p")), "p", "acct", now(), null, true);

		assertThat(again.scenes()).singleElement().satisfies((scene) -> assertThat(scene.existing()).isFalse());
		assertThat(this.state.statusOf(again.scenes().get(0).operation(), now())).isEqualTo(GenerationStatus.PENDING);
	}

	@Test
	void theDailyQuotaIsSpentUntilTheNextUtcMidnight() {
		this.clock.advance(Duration.ofHours(13).plusMinutes(59));
		this.state.configureAccount("acct", new AccountSettings(null, null, 2, null, null));
		startOne("scene-1", null);
		startOne("scene-2", null);

		assertThat(refusalOf(scene("scene-3"), "acct").reason()).isEqualTo("PUBLIC_ERROR_USER_QUOTA_REACHED");
		assertThat(refusalOf(scene("scene-3"), "acct").httpStatus()).isEqualTo(429);
		assertThat(refusalOf(scene("scene-3"), "other-acct")).as("another account's quota is its own").isNull();

		this.clock.advance(Duration.ofMinutes(1));
		assertThat(startOne("scene-4", null).name()).isEqualTo("media-scene-4_upsampled");
	}

	@Test
	void aModelQuotaHoldsThatModelOnly() {
		this.state.configureAccount("acct",
				new AccountSettings(null, 1000, null, java.util.Map.of("veo_3_1_upsampler_4k", 1), null));
		this.state.start(List.of(scene("scene-1", "m1", "veo_3_1_upsampler_4k")), "p", "acct", now(), null, true);

		assertThat(refusalOf(scene("scene-2", "m2", "veo_3_1_upsampler_4k"), "acct").reason())
			.isEqualTo("PUBLIC_ERROR_PER_MODEL_DAILY_QUOTA_REACHED");
		assertThat(refusalOf(scene("scene-3", "m3", "veo_3_1_upsampler_1080p"), "acct")).isNull();
	}

	@Test
	void theConcurrentLimitCountsRunningJobsOnly() {
		this.state.configureAccount("acct", new AccountSettings(null, null, null, null, 1));
		startOne("scene-1", null);

		assertThat(refusalOf(scene("scene-2"), "acct").reason()).isEqualTo("PUBLIC_ERROR_CONCURRENT_LIMIT_REACHED");
		this.clock.advance(Duration.ofSeconds(8));
		assertThat(startOne("scene-3", null).sceneId()).isEqualTo("scene-3");
	}

	@Test
	void tiersAndCreditsDecideWhoMayUseWhichModel() {
		this.state.configureAccount("free", new AccountSettings("PAYGATE_TIER_NOT_PAID", null, null, null, null));
		this.state.configureAccount("pro", new AccountSettings("PAYGATE_TIER_ONE", null, null, null, null));
		this.state.configureAccount("poor", new AccountSettings(null, 49, null, null, null));

		assertThat(refusalOf(scene("s1", "m1", "veo_3_1_upsampler_1080p"), "free").reason())
			.isEqualTo("PUBLIC_ERROR_MODEL_ACCESS_DENIED");
		assertThat(refusalOf(scene("s2", "m2", "veo_3_1_upsampler_4k"), "pro").reason())
			.isEqualTo("PUBLIC_ERROR_MODEL_ACCESS_DENIED");
		assertThat(refusalOf(scene("s3", "m3", "veo_3_1_upsampler_4k"), "poor").httpStatus()).isEqualTo(403);
		assertThat(refusalOf(scene("s4", "m4", "veo_3_1_upsampler_1080p"), "pro")).isNull();
	}

	@Test
	void deprecatedModelsAndAMismatchedAspectRatioAreInvalid() {
		this.state.registerSource("portrait-media", "VIDEO_ASPECT_RATIO_PORTRAIT");

		assertThat(refusalOf(scene("s1", "m1", "veo_2_1080p_upsampler_8s"), "acct").getMessage())
			.contains("deprecated");
		assertThat(this.state
			.start(List.of(scene("s2", "m2", "veo_2_1080p_upsampler_8s")), "p", "acct", now(), null, false)
			.scenes()).as("v1 still takes the seed's model").hasSize(1);
		assertThat(refusalOf(scene("s3", "portrait-media", "veo_3_1_upsampler_1080p"), "acct").getMessage())
			.contains("VIDEO_ASPECT_RATIO_LANDSCAPE", "VIDEO_ASPECT_RATIO_PORTRAIT");
		assertThat(this.state.start(List.of(new SceneRequest("s4", "portrait-media", "veo_3_1_upsampler_1080p", null,
				"VIDEO_ASPECT_RATIO_PORTRAIT")), "p", "acct", now(), null, true)
			.scenes()).hasSize(1);
	}

	@Test
	void resetForgetsEverything() {
		String token = this.state.openSession("session").orElseThrow().value();
		startOne("scene-1", null);
		this.state.recordCheck(new CheckCall(now(), "acct", List.of("x"), "200"));
		this.state.addFault(rule(FaultKind.ERROR, 1, null));
		this.state.expireSession("other");

		this.state.reset();

		assertThat(this.state.grantFor(token)).isEmpty();
		assertThat(this.state.starts()).isEmpty();
		assertThat(this.state.checks()).isEmpty();
		assertThat(this.state.faults()).isEmpty();
		assertThat(this.state.isSessionAlive("other")).isTrue();
		assertThat(this.state.start(List.of(scene("scene-1")), "p", "acct", now(), null, true).conflictingSceneId())
			.isNull();
	}

	private SimulatedOperation startOne(String sceneId, List<String> failure) {
		SimulatorState.StartResult result = this.state.start(List.of(scene(sceneId)), "project", "acct", now(), failure,
				true);
		assertThat(result.scenes()).hasSize(1);
		return result.scenes().get(0).operation();
	}

	private GenerationStatus statusAfter(SimulatedOperation operation, Duration elapsed) {
		return operation.statusAt(operation.startedAt().plus(elapsed), this.properties);
	}

	private Instant now() {
		return this.clock.instant();
	}

	private static SceneRequest scene(String sceneId) {
		return scene(sceneId, "media-" + sceneId, "veo_3_1_upsampler_1080p");
	}

	private static SceneRequest scene(String sceneId, String mediaId, String model) {
		return new SceneRequest(sceneId, mediaId, model, "VIDEO_RESOLUTION_1080P", "VIDEO_ASPECT_RATIO_LANDSCAPE");
	}

	/**
	 * Starts a scene, and says why it was refused; null when it was started.
	 */
	private RpcException refusalOf(SceneRequest scene, String account) {
		SimulatorState.StartResult result = this.state.start(List.of(scene), "project", account, now(), null, true);
		assertThat(result.scenes().isEmpty()).isEqualTo(result.refusal() != null);
		return result.refusal();
	}

	private static FaultRule rule(FaultKind kind, int times, String account) {
		return new FaultRule(FaultTarget.START, kind, times, account, 429, null, null, null, null, 10L, null, null,
				null);
	}

}
