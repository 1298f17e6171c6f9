package io.veoupscale.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.web.client.RestClient;

/**
 * The Flow simulator's admin endpoints as tests use them: injected faults, the log of
 * start and check calls it received, accounts, source videos, reported statuses and its
 * clock.
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
	 * Sets an account's tier, credits, daily quotas or concurrent limit (see the
	 * simulator's {@code PUT /admin/accounts/{account}}); what is left out stays.
	 * @param account the simulated account
	 * @param settings e.g. {@code tier}, {@code credits}, {@code dailyQuota},
	 * {@code modelDailyQuotas}, {@code concurrentLimit}
	 */
	public void configureAccount(String account, Map<String, Object> settings) {
		this.client.put().uri("/accounts/{account}", account).body(settings).retrieve().toBodilessEntity();
	}

	/**
	 * Registers a source video's aspect ratio; a start naming another one is refused.
	 * @param mediaId the source video's media generation id
	 * @param aspectRatio e.g. {@code VIDEO_ASPECT_RATIO_PORTRAIT}
	 */
	public void registerSource(String mediaId, String aspectRatio) {
		this.client.post()
			.uri("/sources")
			.body(Map.of("mediaId", mediaId, "aspectRatio", aspectRatio))
			.retrieve()
			.toBodilessEntity();
	}

	/**
	 * Makes an operation report a status from now on.
	 * @param operationName the operation (media) name
	 * @param status e.g. {@code MEDIA_GENERATION_STATUS_CANCELED}
	 */
	public void reportStatus(String operationName, String status) {
		this.client.post()
			.uri("/statuses")
			.body(Map.of("name", operationName, "status", status))
			.retrieve()
			.toBodilessEntity();
	}

	/**
	 * Moves the simulator's clock forward: quotas reset, operations finish, links and
	 * tokens expire.
	 * @param duration how far
	 * @return the simulator's time now
	 */
	public Instant advanceClock(Duration duration) {
		JsonNode now = this.client.post()
			.uri("/clock")
			.body(Map.of("advanceBy", duration.toString()))
			.retrieve()
			.body(JsonNode.class);
		return Instant.parse(now.get("now").asString());
	}

	/**
	 * The simulator's time.
	 * @return now, as the simulator sees it
	 */
	public Instant now() {
		return Instant.parse(this.client.get().uri("/clock").retrieve().body(JsonNode.class).get("now").asString());
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
					Instant.parse(start.get("receivedAt").asString()), start.get("outcome").asString(),
					start.path("mediaId").asString(null), start.path("model").asString(null),
					start.path("aspectRatio").asString(null)));
		}
		return starts;
	}

	/**
	 * How many start calls of an account have reached the simulator, including calls it
	 * still holds (a latency rule) and has not answered yet.
	 * @param account the account
	 * @return the number of start calls that arrived
	 */
	public int arrivedStarts(String account) {
		JsonNode arrivals = this.client.get().uri("/arrivals").retrieve().body(JsonNode.class).get("arrivals");
		return arrivals.path(account).asInt(0);
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
	 * Every {@code flowMedia:cancelGeneration} call received so far.
	 * @return the cancel calls, in arrival order
	 */
	public List<CancelCall> cancels() {
		JsonNode report = this.client.get().uri("/cancels").retrieve().body(JsonNode.class);
		List<CancelCall> cancels = new ArrayList<>();
		for (JsonNode cancel : report.get("cancels")) {
			cancels.add(new CancelCall(cancel.path("account").asString(null),
					Instant.parse(cancel.get("receivedAt").asString()), cancel.get("mediaId").asString(),
					cancel.get("outcome").asString()));
		}
		return cancels;
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
	 * @param outcome {@code accepted}, {@code existing} (the upscale Flow had of the
	 * source was handed back), an HTTP status, or {@code disconnected}
	 * @param mediaId the source video's media id it named
	 * @param model the model key it named
	 * @param aspectRatio the aspect ratio it named
	 */
	public record StartCall(String sceneId, String account, Instant receivedAt, String outcome, String mediaId,
			String model, String aspectRatio) {

		/**
		 * Whether the simulator started an operation for it.
		 * @return whether it was accepted
		 */
		public boolean accepted() {
			return "accepted".equals(this.outcome);
		}

	}

	/**
	 * One cancel call as the simulator logged it.
	 *
	 * @param account the simulated account
	 * @param receivedAt when it arrived
	 * @param mediaId the media it asked to cancel
	 * @param outcome {@code cancelled}, or the HTTP status answered
	 */
	public record CancelCall(String account, Instant receivedAt, String mediaId, String outcome) {

		/**
		 * Whether the simulator cancelled the generation.
		 * @return whether it was cancelled
		 */
		public boolean cancelled() {
			return "cancelled".equals(this.outcome);
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
