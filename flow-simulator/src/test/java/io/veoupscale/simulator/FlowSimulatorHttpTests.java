package io.veoupscale.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=flow-simulator", "flow.simulator.pending-for=300ms",
				"flow.simulator.complete-after=900ms", "flow.simulator.media-url-delay=200ms",
				"flow.simulator.expired-session-tokens=dead-session" })
@ExtendWith(OutputCaptureExtension.class)
class FlowSimulatorHttpTests {

	private static final String SESSION_COOKIE = SimulatorClient.SESSION_COOKIE;

	private static final String PENDING = "MEDIA_GENERATION_STATUS_PENDING";

	private static final String ACTIVE = "MEDIA_GENERATION_STATUS_ACTIVE";

	private static final String SUCCESSFUL = "MEDIA_GENERATION_STATUS_SUCCESSFUL";

	private static final String FAILED = "MEDIA_GENERATION_STATUS_FAILED";

	@LocalServerPort
	private int port;

	private RestClient http;

	@BeforeEach
	void resetSimulator() {
		this.http = SimulatorClient.reset(this.port);
	}

	@Test
	void sessionCookieIsExchangedForAnAccessTokenOfTheSimulatedAccount() {
		Instant before = Instant.now();

		JsonNode session = session("alice-session").getBody();

		String account = SimulatedAccounts.accountOf("alice-session");
		assertThat(session.path("access_token").asString()).startsWith("ya29.sim-");
		assertThat(session.path("expires").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
		assertThat(Instant.parse(session.path("expires").asString())).isBetween(
				before.plus(Duration.ofMinutes(59)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
				Instant.now().plus(Duration.ofHours(1)));
		assertThat(session.path("user").path("name").asString()).isEqualTo("Simulated " + account);
		assertThat(session.path("user").path("email").asString()).isEqualTo(account + "@sim.test");
	}

	@Test
	void sessionWithoutCookieAnswersAnEmptyObject() {
		ResponseEntity<JsonNode> response = this.http.get()
			.uri("/fx/api/auth/session")
			.retrieve()
			.toEntity(JsonNode.class);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody().isEmpty()).isTrue();
	}

	@Test
	void deadSessionAsksForANewCookie() {
		ResponseEntity<JsonNode> response = session("dead-session");

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody().path("error").asString()).isEqualTo("ACCESS_TOKEN_REFRESH_NEEDED");
		assertThat(response.getBody().has("access_token")).isFalse();
	}

	@Test
	void videoCallsWithAnUnknownTokenAreUnauthenticated() {
		ResponseEntity<JsonNode> start = start("ya29.not-minted-here", "scene-1");
		ResponseEntity<JsonNode> check = this.http.post()
			.uri("/v1/video:batchCheckAsyncVideoGenerationStatus")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"media\":[{\"name\":\"x\",\"projectId\":\"p\"}]}")
			.retrieve()
			.toEntity(JsonNode.class);

		assertThat(start.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(start.getBody().at("/error/status").asString()).isEqualTo("UNAUTHENTICATED");
		assertThat(start.getBody().at("/error/code").asInt()).isEqualTo(401);
		assertThat(check.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(starts().at("/starts/0/outcome").asString()).isEqualTo("401");
	}

	@Test
	void startAnswersWithAPendingOperationForTheScene() {
		String token = token("alice-session");

		ResponseEntity<JsonNode> response = start(token, "scene-1");

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode operation = response.getBody().path("operations").get(0);
		assertThat(operation.at("/operation/name").asString()).isEqualTo("source-scene-1_upsampled");
		assertThat(operation.path("sceneId").asString()).isEqualTo("scene-1");
		assertThat(operation.path("status").asString()).isEqualTo(PENDING);
		assertThat(response.getBody().path("remainingCredits").asInt()).isEqualTo(240);
		JsonNode logged = starts().path("starts").get(0);
		assertThat(logged.path("sceneId").asString()).isEqualTo("scene-1");
		assertThat(logged.path("mediaId").asString()).isEqualTo("source-scene-1");
		assertThat(logged.path("model").asString()).isEqualTo("veo_3_1_upsampler_1080p");
		assertThat(logged.path("resolution").asString()).isEqualTo("VIDEO_RESOLUTION_1080P");
		assertThat(logged.path("projectId").asString()).isEqualTo("project-1");
		assertThat(logged.path("account").asString()).isEqualTo(SimulatedAccounts.accountOf("alice-session"));
		assertThat(logged.path("outcome").asString()).isEqualTo("accepted");
		assertThat(Instant.parse(logged.path("receivedAt").asString())).isBeforeOrEqualTo(Instant.now());
	}

	@Test
	void startWithoutASceneIdIsAnInvalidArgumentNamingTheField() {
		String token = token("alice-session");
		String body = """
				{"clientContext": {"projectId": "project-1", "tool": "PINHOLE"},
				 "requests": [{"videoInput": {"mediaId": "source"}, "videoModelKey": "veo_3_1_upsampler_1080p",
				               "metadata": {}}],
				 "useV2ModelConfig": true}
				""";

		ResponseEntity<JsonNode> response = post("/v1/video:batchAsyncGenerateVideoUpsampleVideo", token, body);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody().at("/error/status").asString()).isEqualTo("INVALID_ARGUMENT");
		assertThat(response.getBody().at("/error/message").asString()).contains("requests[0].metadata.sceneId");
	}

	@Test
	void startWithoutRequestsIsAnInvalidArgumentNamingTheField() {
		ResponseEntity<JsonNode> response = post("/v1/video:batchAsyncGenerateVideoUpsampleVideo",
				token("alice-session"), "{\"clientContext\":{\"projectId\":\"p\"}}");

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody().at("/error/message").asString()).contains("requests");
	}

	@Test
	void secondStartOfTheSameSceneIsAlreadyInProgressAndBothCallsAreCounted() {
		String token = token("alice-session");
		String first = operationName(start(token, "scene-1"));

		ResponseEntity<JsonNode> second = start(token, "scene-1");

		assertThat(second.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(second.getBody().at("/error/status").asString()).isEqualTo("ALREADY_EXISTS");
		assertThat(second.getBody().at("/error/details/0/reason").asString())
			.isEqualTo("PUBLIC_ERROR_GENERATION_ALREADY_IN_PROGRESS");
		assertThat(second.getBody().at("/error/details/0/@type").asString())
			.isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
		assertThat(second.getBody().at("/error/details/1/@type").asString())
			.isEqualTo("type.googleapis.com/google.rpc.ResourceInfo");
		assertThat(second.getBody().at("/error/details/1/resourceName").asString()).isEqualTo(first);
		JsonNode starts = starts();
		assertThat(starts.at("/startsByScene/scene-1").asInt()).isEqualTo(2);
		assertThat(starts.path("accepted").asInt()).isEqualTo(1);
		assertThat(starts.at("/starts/1/outcome").asString()).isEqualTo("409");
	}

	@Test
	void operationGoesFromPendingThroughActiveToSuccessful() {
		String token = token("alice-session");
		String name = operationName(start(token, "scene-1"));
		List<String> seen = new ArrayList<>();
		seen.add(status(token, name));

		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25)).until(() -> {
			seen.add(status(token, name));
			return seen.get(seen.size() - 1).equals(SUCCESSFUL);
		});

		assertThat(seen.get(0)).isEqualTo(PENDING);
		assertThat(seen.stream().distinct().toList()).containsExactly(PENDING, ACTIVE, SUCCESSFUL);
		assertThat(checks().path("checks").get(0).path("names").get(0).asString()).isEqualTo(name);
	}

	@Test
	void checkAnswersInRequestOrderAndReportsUnknownNamesAsUnknown() {
		String token = token("alice-session");
		String name = operationName(start(token, "scene-1"));

		JsonNode media = check(token, "never-issued", name).getBody().path("media");

		assertThat(media.get(0).path("name").asString()).isEqualTo("never-issued");
		assertThat(media.get(0).at("/mediaMetadata/mediaStatus/mediaGenerationStatus").asString())
			.isEqualTo("MEDIA_GENERATION_STATUS_UNKNOWN_SIM");
		assertThat(media.get(1).path("name").asString()).isEqualTo(name);
		JsonNode logged = checks().path("checks").get(0);
		assertThat(logged.path("account").asString()).isEqualTo(SimulatedAccounts.accountOf("alice-session"));
		assertThat(logged.path("names")).hasSize(2);
	}

	@Test
	void adoptedOperationsReportActiveWithoutAStartCall() {
		String token = token("alice-session");
		JsonNode adopted = this.http.post()
			.uri("/admin/operations")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"account\":\"%s\",\"names\":[\"seeded-1\",\"seeded-2\"]}"
				.formatted(SimulatedAccounts.accountOf("alice-session")))
			.retrieve()
			.body(JsonNode.class);

		assertThat(adopted.path("adopted").asInt()).isEqualTo(2);
		assertThat(status(token, "seeded-2")).isEqualTo(ACTIVE);
		assertThat(starts().path("accepted").asLong()).isZero();
	}

	@Test
	void mediaUrlRedirectsToTheVideoOnceItIsReady() {
		String token = token("alice-session");
		String name = operationName(start(token, "scene-1"));

		ResponseEntity<JsonNode> early = mediaUrl("alice-session", name);
		assertThat(early.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(early.getBody().at("/error/message").asString()).isEqualTo("media not ready");

		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> mediaUrl("alice-session", name).getStatusCode() == HttpStatus.TEMPORARY_REDIRECT);

		String location = mediaUrl("alice-session", name).getHeaders().getFirst(HttpHeaders.LOCATION);
		assertThat(location).matches(
				"http://localhost:" + this.port + "/media/[0-9a-f]{32}\\.mp4\\?Expires=\\d+&Signature=[0-9a-f]{64}");
		ResponseEntity<byte[]> video = this.http.get().uri(location).retrieve().toEntity(byte[].class);
		assertThat(video.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(video.getHeaders().getContentType()).isEqualTo(MediaType.parseMediaType("video/mp4"));
		assertThat(new String(video.getBody(), 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
	}

	@Test
	void mediaUrlNeedsALiveSessionAndAKnownName() {
		assertThat(mediaUrl("dead-session", "whatever").getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		ResponseEntity<JsonNode> unknown = mediaUrl("alice-session", "whatever");
		assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(unknown.getBody().at("/error/status").asString()).isEqualTo("NOT_FOUND");
	}

	@Test
	void throttlingFaultAnswersWithRetryAfterOnceThenTheCallSucceeds() {
		String token = token("alice-session");
		addFault("""
				{"target":"start","kind":"error","times":1,"httpStatus":429,"rpcStatus":"RESOURCE_EXHAUSTED",
				 "reason":"PUBLIC_ERROR_USER_REQUESTS_THROTTLED","message":"slow down","retryAfterSeconds":2}
				""");

		ResponseEntity<JsonNode> throttled = start(token, "scene-1");
		ResponseEntity<JsonNode> retried = start(token, "scene-1");

		assertThat(throttled.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(throttled.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
		assertThat(throttled.getBody().at("/error/code").asInt()).isEqualTo(429);
		assertThat(throttled.getBody().at("/error/message").asString()).isEqualTo("slow down");
		assertThat(throttled.getBody().at("/error/status").asString()).isEqualTo("RESOURCE_EXHAUSTED");
		assertThat(throttled.getBody().at("/error/details/0/reason").asString())
			.isEqualTo("PUBLIC_ERROR_USER_REQUESTS_THROTTLED");
		assertThat(retried.getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode starts = starts();
		assertThat(starts.at("/starts/0/outcome").asString()).isEqualTo("429");
		assertThat(starts.at("/startsByScene/scene-1").asInt()).isEqualTo(2);
		assertThat(starts.path("accepted").asInt()).isEqualTo(1);
	}

	@Test
	void faultScopedToAnAccountLeavesOtherAccountsAlone() {
		String alice = token("alice-session");
		String bob = token("bob-session");
		addFault("{\"target\":\"start\",\"kind\":\"error\",\"times\":0,\"httpStatus\":403,\"account\":\""
				+ SimulatedAccounts.accountOf("alice-session") + "\"}");

		assertThat(start(bob, "scene-b").getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(start(alice, "scene-a1").getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(start(alice, "scene-a2").getBody().at("/error/status").asString()).isEqualTo("PERMISSION_DENIED");
	}

	@Test
	void failOperationFaultMakesTheAcceptedOperationFailWithReasons() {
		String token = token("alice-session");
		addFault("{\"target\":\"start\",\"kind\":\"failOperation\",\"failureReasons\":[\"PROMINENT_PERSON\"]}");

		String name = operationName(start(token, "scene-1"));

		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> status(token, name).equals(FAILED));
		JsonNode mediaStatus = check(token, name).getBody().at("/media/0/mediaMetadata/mediaStatus");
		assertThat(mediaStatus.path("failureReasons").get(0).asString()).isEqualTo("PROMINENT_PERSON");
		assertThat(operationName(start(token, "scene-2"))).isNotEmpty();
	}

	@Test
	void latencyFaultDelaysTheCallThenAnswersNormally() {
		String token = token("alice-session");
		addFault("{\"target\":\"check\",\"kind\":\"latency\",\"latencyMs\":500}");

		long started = System.nanoTime();
		ResponseEntity<JsonNode> response = check(token, "anything");
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500));
	}

	@Test
	void slowArrivalFaultStampsTheStartAsArrivingThatMuchLater() {
		String token = token("alice-session");
		addFault("{\"target\":\"start\",\"kind\":\"slowArrival\",\"latencyMs\":300}");

		Instant sent = Instant.now();
		ResponseEntity<JsonNode> slow = start(token, "scene-slow");
		ResponseEntity<JsonNode> next = start(token, "scene-next");

		assertThat(slow.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(next.getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode logged = starts().path("starts");
		assertThat(Duration.between(sent, Instant.parse(logged.get(0).path("receivedAt").asString())))
			.isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(logged.get(0).path("outcome").asString()).isEqualTo("accepted");
		assertThat(logged.get(1).path("sceneId").asString()).as("the rule held one call").isEqualTo("scene-next");
	}

	@Test
	void expireSessionFaultKillsTheSessionAndRevokesItsTokens() {
		String token = token("alice-session");
		String otherToken = token("bob-session");
		addFault("{\"target\":\"session\",\"kind\":\"expireSession\",\"account\":\""
				+ SimulatedAccounts.accountOf("alice-session") + "\"}");

		assertThat(session("alice-session").getBody().path("error").asString())
			.isEqualTo("ACCESS_TOKEN_REFRESH_NEEDED");
		assertThat(check(token, "x").getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(session("alice-session").getBody().path("error").asString())
			.isEqualTo("ACCESS_TOKEN_REFRESH_NEEDED");
		assertThat(check(otherToken, "x").getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void disconnectFaultClosesTheConnectionWithoutSendingAnyByte() throws IOException {
		addFault("{\"target\":\"session\",\"kind\":\"disconnect\"}");

		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(5000);
			socket.getOutputStream()
				.write(("GET /fx/api/auth/session HTTP/1.1\r\nHost: localhost\r\nCookie: " + SESSION_COOKIE
						+ "=alice-session\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			assertThat(readUntilClosed(socket.getInputStream())).isEmpty();
		}
		assertThat(session("alice-session").getBody().has("access_token")).isTrue();
	}

	@Test
	void disconnectFaultOnStartIsAnIoErrorForTheClientAndCreatesNoOperation() {
		String token = token("alice-session");
		addFault("{\"target\":\"start\",\"kind\":\"disconnect\"}");

		assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> start(token, "scene-1"));

		assertThat(starts().at("/starts/0/outcome").asString()).isEqualTo("disconnected");
		assertThat(start(token, "scene-1").getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void disconnectAfterWorkLeavesAnAcceptedStartTheClientNeverHeardOf() {
		String token = token("alice-session");
		addFault("{\"target\":\"start\",\"kind\":\"disconnect\",\"afterWork\":true}");

		assertThatExceptionOfType(ResourceAccessException.class).isThrownBy(() -> start(token, "scene-1"));

		assertThat(start(token, "scene-1").getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(starts().path("accepted").asInt()).isEqualTo(1);
	}

	@Test
	void errorAfterWorkAnswersTheErrorForAStartFlowAccepted() {
		String token = token("alice-session");
		addFault("{\"target\":\"start\",\"kind\":\"error\",\"httpStatus\":503,\"afterWork\":true}");

		assertThat(start(token, "scene-1").getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

		ResponseEntity<JsonNode> retry = start(token, "scene-1");
		assertThat(retry.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(retry.getBody().at("/error/details/1/resourceName").asString()).isNotBlank();
		assertThat(starts().path("accepted").asInt()).isEqualTo(1);
	}

	@Test
	void faultRulesCanBeListedAndCleared() {
		addFault("{\"target\":\"check\",\"kind\":\"error\",\"times\":3,\"httpStatus\":503}");

		JsonNode faults = this.http.get().uri("/admin/faults").retrieve().body(JsonNode.class);
		assertThat(faults.at("/faults/0/remaining").asInt()).isEqualTo(3);
		assertThat(faults.at("/faults/0/rule/rpcStatus").asString()).isEqualTo("UNAVAILABLE");

		this.http.delete().uri("/admin/faults").retrieve().toBodilessEntity();
		assertThat(check(token("alice-session"), "x").getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void invalidFaultRuleIsRejected() {
		ResponseEntity<JsonNode> missingKind = this.http.post()
			.uri("/admin/faults")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"target\":\"start\"}")
			.retrieve()
			.toEntity(JsonNode.class);
		ResponseEntity<JsonNode> wrongTarget = this.http.post()
			.uri("/admin/faults")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"target\":\"check\",\"kind\":\"failOperation\"}")
			.retrieve()
			.toEntity(JsonNode.class);

		assertThat(missingKind.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(missingKind.getBody().at("/error/message").asString()).contains("kind");
		assertThat(wrongTarget.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void resetForgetsOperationsLogsTokensAndFaults() {
		String token = token("alice-session");
		start(token, "scene-1");
		check(token, "x");
		addFault("{\"target\":\"check\",\"kind\":\"error\",\"times\":0}");

		this.http.post().uri("/admin/reset").retrieve().toBodilessEntity();

		assertThat(starts().path("starts").isEmpty()).isTrue();
		assertThat(starts().path("accepted").asInt()).isZero();
		assertThat(checks().path("checks").isEmpty()).isTrue();
		assertThat(check(token, "x").getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		String fresh = token("alice-session");
		assertThat(check(fresh, "x").getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(start(fresh, "scene-1").getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void logsNameAccountsButNeverTokensOrCookies(CapturedOutput output) {
		String token = token("secret-session-value");
		start(token, "scene-1");
		check(token, "x");

		assertThat(output).contains(SimulatedAccounts.accountOf("secret-session-value"))
			.doesNotContain("secret-session-value")
			.doesNotContain(token);
	}

	private ResponseEntity<JsonNode> session(String sessionToken) {
		return SimulatorClient.session(this.http, sessionToken);
	}

	private String token(String sessionToken) {
		return SimulatorClient.token(this.http, sessionToken);
	}

	private ResponseEntity<JsonNode> start(String token, String sceneId) {
		String body = """
				{"mediaGenerationContext": {"batchId": "batch-1"},
				 "clientContext": {"sessionId": ";1764072000000", "projectId": "project-1", "tool": "PINHOLE",
				                   "recaptchaContext": {"token": "t", "applicationType": "RECAPTCHA_APPLICATION_TYPE_WEB"}},
				 "requests": [{"aspectRatio": "VIDEO_ASPECT_RATIO_LANDSCAPE", "resolution": "VIDEO_RESOLUTION_1080P",
				               "seed": 4254, "videoInput": {"mediaId": "source-%1$s"},
				               "videoModelKey": "veo_3_1_upsampler_1080p", "metadata": {"sceneId": "%1$s"}}],
				 "useV2ModelConfig": true}
				"""
			.formatted(sceneId);
		return post("/v1/video:batchAsyncGenerateVideoUpsampleVideo", token, body);
	}

	private ResponseEntity<JsonNode> check(String token, String... names) {
		StringBuilder media = new StringBuilder();
		for (String name : names) {
			media.append((media.length() > 0) ? "," : "")
				.append("{\"name\":\"")
				.append(name)
				.append("\",\"projectId\":\"project-1\"}");
		}
		return post("/v1/video:batchCheckAsyncVideoGenerationStatus", token, "{\"media\":[" + media + "]}");
	}

	private String status(String token, String name) {
		return check(token, name).getBody().at("/media/0/mediaMetadata/mediaStatus/mediaGenerationStatus").asString();
	}

	private ResponseEntity<JsonNode> post(String path, String token, String body) {
		return SimulatorClient.post(this.http, path, token, body);
	}

	private ResponseEntity<JsonNode> mediaUrl(String sessionToken, String name) {
		return this.http.get()
			.uri("/fx/api/trpc/media.getMediaUrlRedirect?name={name}&mediaUrlType=MEDIA_URL_TYPE_FULL_MEDIA", name)
			.header(HttpHeaders.COOKIE, SESSION_COOKIE + "=" + sessionToken)
			.retrieve()
			.toEntity(JsonNode.class);
	}

	private void addFault(String rule) {
		ResponseEntity<JsonNode> response = this.http.post()
			.uri("/admin/faults")
			.contentType(MediaType.APPLICATION_JSON)
			.body(rule)
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
	}

	private JsonNode starts() {
		return SimulatorClient.starts(this.http);
	}

	private JsonNode checks() {
		return this.http.get().uri("/admin/checks").retrieve().body(JsonNode.class);
	}

	private static String operationName(ResponseEntity<JsonNode> start) {
		assertThat(start.getStatusCode()).isEqualTo(HttpStatus.OK);
		return start.getBody().at("/operations/0/operation/name").asString();
	}

	private static byte[] readUntilClosed(InputStream in) throws IOException {
		try {
			return in.readAllBytes();
		}
		catch (SocketException ex) {
			// A reset instead of an orderly close still means no response was sent.
			return new byte[0];
		}
	}

}
