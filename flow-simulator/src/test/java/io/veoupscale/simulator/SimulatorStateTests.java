package io.veoupscale.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SimulatorStateTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

	private final SimulatorProperties properties = new SimulatorProperties(Duration.ofSeconds(1), Duration.ofSeconds(8),
			Duration.ofSeconds(2), Duration.ofHours(1), SimulatorProperties.StartResponse.OPERATIONS, null,
			List.of("dead-session"));

	private final SimulatorState state = new SimulatorState(this.clock, this.properties);

	@Test
	void operationIsPendingThenActiveThenSuccessfulAtTheConfiguredTimes() {
		SimulatedOperation operation = startOne("scene-1", null);

		assertThat(statusAfter(operation, Duration.ZERO)).isEqualTo(GenerationStatus.PENDING);
		assertThat(statusAfter(operation, Duration.ofMillis(999))).isEqualTo(GenerationStatus.PENDING);
		assertThat(statusAfter(operation, Duration.ofSeconds(1))).isEqualTo(GenerationStatus.ACTIVE);
		assertThat(statusAfter(operation, Duration.ofMillis(7999))).isEqualTo(GenerationStatus.ACTIVE);
		assertThat(statusAfter(operation, Duration.ofSeconds(8))).isEqualTo(GenerationStatus.SUCCESSFUL);
		assertThat(operation.name()).matches("[0-9a-f]{32}");
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

		SimulatorState.StartResult second = this.state.start(List.of(scene("scene-1")), "project", "acct", now(), null);

		assertThat(second.conflictingSceneId()).isEqualTo("scene-1");
		assertThat(second.operations()).isEmpty();
		assertThat(this.state.starts()).extracting(StartCall::outcome).containsExactly("accepted", "409");
	}

	@Test
	void startWithTheSameSceneTwiceInOneCallCreatesNothing() {
		SimulatorState.StartResult result = this.state.start(List.of(scene("scene-1"), scene("scene-1")), "project",
				"acct", now(), null);

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
		assertThat(this.state.start(List.of(scene("scene-1")), "p", "acct", now(), null).conflictingSceneId()).isNull();
	}

	private SimulatedOperation startOne(String sceneId, List<String> failure) {
		SimulatorState.StartResult result = this.state.start(List.of(scene(sceneId)), "project", "acct", now(),
				failure);
		assertThat(result.operations()).hasSize(1);
		return result.operations().get(0);
	}

	private GenerationStatus statusAfter(SimulatedOperation operation, Duration elapsed) {
		return operation.statusAt(operation.startedAt().plus(elapsed), this.properties);
	}

	private Instant now() {
		return this.clock.instant();
	}

	private static SceneRequest scene(String sceneId) {
		return new SceneRequest(sceneId, "media-" + sceneId, "veo_3_1_upsampler_1080p", "VIDEO_RESOLUTION_1080P");
	}

	private static FaultRule rule(FaultKind kind, int times, String account) {
		return new FaultRule(FaultTarget.START, kind, times, account, 429, null, null, null, null, 10L, null, null,
				null);
	}

}
