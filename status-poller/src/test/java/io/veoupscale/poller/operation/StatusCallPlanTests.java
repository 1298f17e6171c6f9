package io.veoupscale.poller.operation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.veoupscale.poller.operation.OperationRepository.DueOperation;
import io.veoupscale.poller.operation.StatusCallPlan.StatusCall;
import io.veoupscale.store.profile.FlowCookies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Due operations grouped into status calls per profile.
 */
class StatusCallPlanTests {

	private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

	@Test
	void callsPerProfileInChunksKeepingTheClaimOrder() {
		List<DueOperation> due = List.of(due("a1", "a"), due("b1", "b"), due("a2", "a"), due("a3", "a"),
				due("b2", "b"));

		StatusCallPlan plan = StatusCallPlan.of(due,
				(ids) -> Map.of("a", active("session-a"), "b", active("session-b")), 2, NOW);

		assertThat(plan.calls()).extracting((call) -> call.session().sessionToken() + " " + ids(call))
			.containsExactly("session-a [a1, a2]", "session-a [a3]", "session-b [b1, b2]");
		assertThat(plan.calls().get(0).session()).isSameAs(plan.calls().get(1).session());
		assertThat(plan.withoutSession()).isEmpty();
	}

	@Test
	void looksUpTheCookiesOfAllProfilesAtOnce() {
		List<Set<String>> lookups = new ArrayList<>();

		StatusCallPlan.of(List.of(due("a1", "a"), due("b1", "b"), due("c1", "c")), (ids) -> {
			lookups.add(Set.copyOf(ids));
			return Map.of();
		}, 20, NOW);

		assertThat(lookups).containsExactly(Set.of("a", "b", "c"));
	}

	@Test
	void leavesOutProfilesWithoutActiveCookies() {
		List<DueOperation> due = List.of(due("a1", "a"), due("b1", "b"), due("c1", "c"));

		StatusCallPlan plan = StatusCallPlan.of(due, (ids) -> Map.of("a", active("session-a"), "b",
				new FlowCookies("session-b", NOW.minus(Duration.ofMinutes(1)))), 20, NOW);

		assertThat(plan.calls()).extracting(StatusCallPlanTests::ids).containsExactly(List.of("a1"));
		assertThat(plan.withoutSession()).extracting(DueOperation::upscaleId).containsExactly("b1", "c1");
	}

	private static List<String> ids(StatusCall call) {
		return call.operations().stream().map(DueOperation::upscaleId).toList();
	}

	private static FlowCookies active(String session) {
		return new FlowCookies(session, NOW.plus(Duration.ofDays(1)));
	}

	private static DueOperation due(String upscaleId, String profileId) {
		return new DueOperation(upscaleId, "b1", "gen-1", profileId, "op-" + upscaleId, "fp1",
				NOW.plus(Duration.ofMinutes(30)), 5_000, 0, NOW, false);
	}

}
