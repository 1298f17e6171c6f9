package io.veoupscale.flow;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.veoupscale.flow.internal.HttpFlowClient;
import io.veoupscale.simulator.FlowSimulatorApplication;
import io.veoupscale.simulator.SimulatedAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Flow client against the simulator over HTTP: sessions and tokens, both start
 * answers, the error taxonomy, status checks and the media URL.
 */
class HttpFlowClientTests {

	private static ConfigurableApplicationContext simulator;

	private static ConfigurableApplicationContext mediaShapedSimulator;

	@BeforeAll
	static void startSimulators() {
		simulator = FlowSimulatorApplication.builder()
			.run("--server.port=0", "--flow.simulator.pending-for=100ms", "--flow.simulator.complete-after=400ms",
					"--flow.simulator.expired-session-tokens=dead-session");
		mediaShapedSimulator = FlowSimulatorApplication.builder()
			.run("--server.port=0", "--flow.simulator.start-response=media");
	}

	@AfterAll
	static void stopSimulators() {
		simulator.close();
		mediaShapedSimulator.close();
	}

	@Test
	void startsAnUpscaleAndFollowsItToItsVideo() {
		FlowClient flow = clientOf(simulator);
		String session = session();

		StartedUpscale started = flow.startUpscale(session, start());

		assertThat(started.status()).isEqualTo(MediaGenerationStatus.PENDING);
		MediaRef ref = new MediaRef(started.operationName(), "fp1", started.sceneId());
		await().atMost(Duration.ofSeconds(5))
			.until(() -> flow.checkStatus(session, List.of(ref))
				.media()
				.get(0)
				.status() == MediaGenerationStatus.SUCCESSFUL);
		assertThat(started.operationName()).isEqualTo(UpscaleStart.upscaledMediaName("media-" + started.sceneId()));
		assertThat(started.remainingCredits()).isEqualTo(240);
		assertThat(flow.videoUrl(session, started.operationName()))
			.hasValueSatisfying((url) -> assertThat(url).contains("/media/", "?Expires="));
	}

	@Test
	void readsTheMediaShapedStartAnswer() {
		StartedUpscale started = clientOf(mediaShapedSimulator).startUpscale(session(), start());

		assertThat(started.operationName()).isNotBlank();
		assertThat(started.status()).isEqualTo(MediaGenerationStatus.PENDING);
	}

	@Test
	void refreshesTheTokenOnceAfterA401AndRetries() {
		String session = session();
		fault(Map.of("target", "start", "kind", "error", "httpStatus", 401, "rpcStatus", "UNAUTHENTICATED", "account",
				SimulatedAccounts.accountOf(session)));

		StartedUpscale started = clientOf(simulator).startUpscale(session, start());

		assertThat(started.operationName()).isNotBlank();
	}

	@Test
	void refusesADeadSessionNamingTheReason() {
		assertThatExceptionOfType(FlowRefusedException.class)
			.isThrownBy(() -> clientOf(simulator).startUpscale("dead-session", start()))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("ACCESS_TOKEN_REFRESH_NEEDED"));
	}

	@Test
	void tellsThrottlesQuotasRefusalsOutagesAndRunningDuplicatesApart() {
		FlowClient flow = clientOf(simulator);
		String session = session();
		String account = SimulatedAccounts.accountOf(session);
		flow.prepareSession(session);
		fault(Map.of("target", "start", "kind", "error", "httpStatus", 429, "account", account, "reason",
				"PUBLIC_ERROR_USER_REQUESTS_THROTTLED", "retryAfterSeconds", 7));
		assertThatExceptionOfType(FlowThrottledException.class).isThrownBy(() -> flow.startUpscale(session, start()))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
		fault(Map.of("target", "start", "kind", "error", "httpStatus", 429, "account", account, "reason",
				"PUBLIC_ERROR_USER_QUOTA_REACHED"));
		assertThatExceptionOfType(FlowQuotaException.class).isThrownBy(() -> flow.startUpscale(session, start()))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo("PUBLIC_ERROR_USER_QUOTA_REACHED"))
			.satisfies((ex) -> assertThat(ex.perModel()).isFalse());
		fault(Map.of("target", "start", "kind", "error", "httpStatus", 429, "account", account, "reason",
				"PUBLIC_ERROR_PER_MODEL_DAILY_QUOTA_REACHED_UPGRADEABLE"));
		assertThatExceptionOfType(FlowQuotaException.class).isThrownBy(() -> flow.startUpscale(session, start()))
			.satisfies((ex) -> assertThat(ex.perModel()).isTrue());
		fault(Map.of("target", "start", "kind", "error", "httpStatus", 429, "account", account, "reason",
				"PUBLIC_ERROR_CONCURRENT_LIMIT_REACHED"));
		assertThatExceptionOfType(FlowConcurrentLimitException.class)
			.isThrownBy(() -> flow.startUpscale(session, start()));
		fault(Map.of("target", "start", "kind", "error", "httpStatus", 429, "account", account, "reason",
				"PUBLIC_ERROR_MODEL_OVERLOADED"));
		assertThatExceptionOfType(FlowUnavailableException.class).as("Flow is busy: transient")
			.isThrownBy(() -> flow.startUpscale(session, start()));
		fault(Map.of("target", "start", "kind", "error", "httpStatus", 403, "account", account, "reason",
				"PUBLIC_ERROR_UNUSUAL_ACTIVITY"));
		assertThatExceptionOfType(FlowThrottledException.class).as("a reCAPTCHA refusal pauses the profile")
			.isThrownBy(() -> flow.startUpscale(session, start()));
		fault(Map.of("target", "start", "kind", "error", "httpStatus", 403, "account", account, "reason",
				"PUBLIC_ERROR_MODEL_ACCESS_DENIED"));
		assertThatExceptionOfType(FlowRefusedException.class).isThrownBy(() -> flow.startUpscale(session, start()));
		fault(Map.of("target", "start", "kind", "error", "httpStatus", 503, "account", account));
		assertThatExceptionOfType(FlowUnavailableException.class).isThrownBy(() -> flow.startUpscale(session, start()));
		UpscaleStart once = start();
		StartedUpscale first = flow.startUpscale(session, once);
		assertThat(flow.startUpscale(session, once)).as("a start Flow already runs, named by its ResourceInfo")
			.isEqualTo(new StartedUpscale(first.operationName(), once.sceneId(), MediaGenerationStatus.PENDING, null));
		fault(Map.of("target", "start", "kind", "error", "httpStatus", 409, "account", account, "reason",
				"PUBLIC_ERROR_GENERATION_ALREADY_IN_PROGRESS"));
		assertThatExceptionOfType(FlowAlreadyExistsException.class)
			.isThrownBy(() -> flow.startUpscale(session, start()))
			.satisfies((ex) -> assertThat(ex.operationName()).isNull());
		fault(Map.of("target", "start", "kind", "disconnect", "afterWork", true, "account", account));
		assertThatExceptionOfType(FlowOutcomeUnknownException.class)
			.isThrownBy(() -> flow.startUpscale(session, start()));
	}

	@Test
	void tellsAStartThatNeverLeftFromOneThatWentUnanswered() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		assertThatExceptionOfType(FlowUnavailableException.class)
			.as("nothing listens, so nothing was sent and the start may be retried")
			.isThrownBy(() -> clientOf("http://localhost:" + closedPort, "5s").startUpscale(session(), start()));

		String session = session();
		FlowClient impatient = clientOf(baseUrl(simulator), "300ms");
		impatient.prepareSession(session);
		fault(Map.of("target", "start", "kind", "latency", "latencyMs", 1000, "account",
				SimulatedAccounts.accountOf(session)));
		assertThatExceptionOfType(FlowOutcomeUnknownException.class).as("sent, then no answer within the read timeout")
			.isThrownBy(() -> impatient.startUpscale(session, start()));
	}

	@Test
	void tellsTheCallerRightBeforeTheStartLeavesAndWhenEachAnswerArrives() {
		FlowClient flow = clientOf(simulator);
		String session = session();
		flow.prepareSession(session);
		List<String> moments = new ArrayList<>();
		StartTiming timing = new StartTiming() {

			@Override
			public void beforeSend() {
				moments.add("send");
			}

			@Override
			public void answered() {
				moments.add("answer");
			}

		};

		flow.startUpscale(session, start(), timing);
		fault(Map.of("target", "start", "kind", "error", "httpStatus", 401, "rpcStatus", "UNAUTHENTICATED", "account",
				SimulatedAccounts.accountOf(session)));
		flow.startUpscale(session, start(), timing);

		assertThat(moments).as("the start repeated after a token refresh takes no second turn")
			.containsExactly("send", "answer", "send", "answer", "answer");
	}

	@Test
	void v1StartsAtTheSeedsPathAndReadsTheSignedUrlFromTheCheck() {
		String base = baseUrl(simulator);
		FlowClient v1 = clientOf(
				Map.of("flow.api-base-url", base, "flow.labs-base-url", base + "/fx", "flow.dialect", "v1"));
		String session = session();
		String scene = UUID.randomUUID().toString();
		UpscaleStart start = new UpscaleStart(scene, "media-" + scene, v1.modelKey("veo_2_1080p_upsampler_8s"), "fp1",
				AspectRatio.PORTRAIT, null);

		StartedUpscale started = v1.startUpscale(session, start);

		assertThat(start.model()).as("v1 sends the seed's model as it is").isEqualTo("veo_2_1080p_upsampler_8s");
		assertThat(started.operationName()).isEqualTo(start.upscaledMediaName());
		MediaRef ref = new MediaRef(started.operationName(), "fp1", scene);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> v1.checkStatus(session, List.of(ref)).media().get(0).status().isSuccess());
		assertThat(v1.checkStatus(session, List.of(ref)).media().get(0).videoUrl()).contains("?Expires=");
		StartedUpscale again = v1.startUpscale(session, new UpscaleStart(UUID.randomUUID().toString(), start.mediaId(),
				start.model(), "fp1", AspectRatio.PORTRAIT, null));
		assertThat(again.status()).as("a video upscaled already comes back finished, its video inline")
			.isEqualTo(MediaGenerationStatus.SUCCESSFUL);
		assertThat(again.operationName()).isEqualTo(started.operationName());
	}

	@Test
	void v2SendsACurrentModelInPlaceOfTheDeprecatedOneAndGetsAnUpscaledVideoBack() {
		FlowClient flow = clientOf(simulator);
		String session = session();
		UpscaleStart start = start(flow.modelKey("veo_2_1080p_upsampler_8s"));

		StartedUpscale started = flow.startUpscale(session, start);
		StartedUpscale again = flow.startUpscale(session, new UpscaleStart(UUID.randomUUID().toString(),
				start.mediaId(), start.model(), "fp1", AspectRatio.LANDSCAPE, null));

		assertThat(start.model()).isEqualTo("veo_3_1_upsampler_1080p");
		assertThat(flow.modelKey("veo_3_1_upsampler_4k")).isEqualTo("veo_3_1_upsampler_4k");
		assertThat(again.operationName()).isEqualTo(started.operationName());
		assertThatExceptionOfType(FlowRefusedException.class).as("the simulator refuses the deprecated key in v2")
			.isThrownBy(() -> flow.startUpscale(session, start("veo_2_1080p_upsampler_8s")))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("deprecated"));
	}

	@Test
	void readsTheAccountsTierAndCredits() {
		FlowClient flow = clientOf(simulator);
		String session = session();

		assertThat(flow.prepareSession(session)).as("a new session is fetched").isTrue();
		assertThat(flow.prepareSession(session)).as("then kept").isFalse();
		AccountCredits credits = flow.credits(session);

		assertThat(credits.tier()).isEqualTo(PaygateTier.TWO);
		assertThat(credits.credits()).isEqualTo(240);
	}

	@Test
	void claimsTheTierFlowLastReportedWithEachStart() {
		FlowClient flow = clientOf(simulator);
		String session = session();
		String account = SimulatedAccounts.accountOf(session);
		assertThat(flow.credits(session).tier()).isEqualTo(PaygateTier.TWO);
		assertThat(flow.startUpscale(session, start()).operationName()).isNotBlank();

		RestClient.create(baseUrl(simulator))
			.put()
			.uri("/admin/accounts/{account}", account)
			.body(Map.of("tier", "PAYGATE_TIER_ONE"))
			.retrieve()
			.toBodilessEntity();

		assertThatExceptionOfType(FlowRefusedException.class)
			.as("the account was downgraded: the tier claimed from the last credits call is refused")
			.isThrownBy(() -> flow.startUpscale(session, start()))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("claims PAYGATE_TIER_TWO"));
		assertThat(flow.credits(session).tier()).isEqualTo(PaygateTier.ONE);
		assertThat(flow.startUpscale(session, start()).operationName()).as("the refreshed tier is claimed")
			.isNotBlank();
	}

	private static FlowClient clientOf(ConfigurableApplicationContext simulator) {
		return clientOf(baseUrl(simulator), "5s");
	}

	private static FlowClient clientOf(String base, String readTimeout) {
		return clientOf(Map.of("flow.api-base-url", base, "flow.labs-base-url", base + "/fx", "flow.read-timeout",
				readTimeout));
	}

	private static FlowClient clientOf(Map<String, String> settings) {
		FlowProperties properties = new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("flow",
				FlowProperties.class);
		return HttpFlowClient.create(properties, RestClient.builder(), new SimpleMeterRegistry());
	}

	private static String baseUrl(ConfigurableApplicationContext simulator) {
		return "http://localhost:" + simulator.getEnvironment().getRequiredProperty("local.server.port");
	}

	private static void fault(Map<String, Object> rule) {
		RestClient.create(baseUrl(simulator)).post().uri("/admin/faults").body(rule).retrieve().body(JsonNode.class);
	}

	private static String session() {
		return "session-" + UUID.randomUUID();
	}

	private static UpscaleStart start(String model) {
		String scene = UUID.randomUUID().toString();
		return new UpscaleStart(scene, "media-" + scene, model, "fp1", AspectRatio.LANDSCAPE, null);
	}

	private static UpscaleStart start() {
		String scene = UUID.randomUUID().toString();
		return new UpscaleStart(scene, "media-" + scene, "veo_3_1_upsampler_1080p", "fp1", AspectRatio.LANDSCAPE, null);
	}

}
