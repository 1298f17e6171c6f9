package io.veoupscale.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.web.client.RestClient;

/**
 * The Flow simulator's admin endpoints as tests use them: injected faults and the log of
 * start and check calls it received.
 */
public final class SimulatorAdmin {

	private final RestClient client;

	/**
	 * Talks to the simulator on the given port.
	 * @param port the simulator's HTTP port
	 */
	public SimulatorAdmin(int port) {
		this.client = RestClient.builder().baseUrl("http://localhost:" + port + "/admin").build();
	}

	/**
	 * Adds a fault rule (see the simulator's {@code POST /admin/faults}).
	 * @param rule the rule's fields
	 */
	public void addFault(Map<String, Object> rule) {
		this.client.post().uri("/faults").body(rule).retrieve().toBodilessEntity();
	}

	/**
	 * Removes every fault rule.
	 */
	public void clearFaults() {
		this.client.delete().uri("/faults").retrieve().toBodilessEntity();
	}

	/**
	 * Every start call received so far, per scene and item.
	 * @return the start calls
	 */
	public List<StartCall> starts() {
		JsonNode report = this.client.get().uri("/starts").retrieve().body(JsonNode.class);
		List<StartCall> starts = new ArrayList<>();
		for (JsonNode start : report.get("starts")) {
			starts.add(new StartCall(start.path("sceneId").asString(null), start.path("account").asString(null),
					Instant.parse(start.get("receivedAt").asString()), start.get("outcome").asString()));
		}
		return starts;
	}

	/**
	 * The start calls received for one scene.
	 * @param sceneId the scene
	 * @return its start calls, in arrival order
	 */
	public List<StartCall> startsOf(String sceneId) {
		return starts().stream().filter((start) -> sceneId.equals(start.sceneId())).toList();
	}

	/**
	 * Every status check call received so far.
	 * @return the check calls
	 */
	public List<CheckCall> checks() {
		JsonNode report = this.client.get().uri("/checks").retrieve().body(JsonNode.class);
		List<CheckCall> checks = new ArrayList<>();
		for (JsonNode check : report.get("checks")) {
			List<String> names = new ArrayList<>();
			check.get("names").forEach((name) -> names.add(name.asString()));
			checks.add(new CheckCall(check.path("account").asString(null),
					Instant.parse(check.get("receivedAt").asString()), names, check.path("outcome").asString("200")));
		}
		return checks;
	}

	/**
	 * The gaps between consecutive accepted starts, in arrival order.
	 * @param starts start calls
	 * @return the gaps
	 */
	public static List<Duration> gapsBetweenAccepted(List<StartCall> starts) {
		List<Instant> times = starts.stream().filter(StartCall::accepted).map(StartCall::receivedAt).sorted().toList();
		List<Duration> gaps = new ArrayList<>();
		for (int i = 1; i < times.size(); i++) {
			gaps.add(Duration.between(times.get(i - 1), times.get(i)));
		}
		return gaps;
	}

	/**
	 * One start call as the simulator logged it.
	 *
	 * @param sceneId the scene id of the item
	 * @param account the simulated account (a hash of the session cookie)
	 * @param receivedAt when it arrived
	 * @param outcome {@code accepted}, an HTTP status, or {@code disconnected}
	 */
	public record StartCall(String sceneId, String account, Instant receivedAt, String outcome) {

		/**
		 * Whether the simulator started an operation for it.
		 * @return whether it was accepted
		 */
		public boolean accepted() {
			return "accepted".equals(this.outcome);
		}

	}

	/**
	 * One status check call as the simulator logged it.
	 *
	 * @param account the simulated account
	 * @param receivedAt when it arrived
	 * @param names the media names it asked about
	 * @param outcome the HTTP status or {@code disconnected}
	 */
	public record CheckCall(String account, Instant receivedAt, List<String> names, String outcome) {
	}

}
