package io.veoupscale.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator as Flow is in 2026, over HTTP: both dialects at one start path, upscales
 * named after their source and handed back when asked for again, accounts with tiers,
 * credits, quotas that reset at UTC midnight and concurrent limits, source videos' aspect
 * ratios, every status, and video links that expire. Its own context, since it moves the
 * simulator's clock.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=flow-simulator", "flow.simulator.pending-for=300ms",
				"flow.simulator.complete-after=900ms", "flow.simulator.media-url-lifetime=6h" })
class FlowSimulatorAccountsHttpTests {

	private static final String START = "/v1/video:batchAsyncGenerateVideoUpsampleVideo";

	private static final String CHECK = "/v1/video:batchCheckAsyncVideoGenerationStatus";

	private static final String SESSION = "carol-session";

	@LocalServerPort
	private int port;

	private RestClient http;

	private String token;

	@BeforeEach
	void resetSimulator() {
		this.http = SimulatorClient.reset(this.port);
		this.token = SimulatorClient.token(this.http, SESSION);
	}

	@Test
	void v1StartsAtTheSamePathAndItsCheckCarriesASignedUrl() {
		ResponseEntity<JsonNode> started = post(START, v1Start("scene-1", "source-1"));

		assertThat(started.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(started.getBody().at("/operations/0/operation/name").asString()).isEqualTo("source-1_upsampled");
		advance(Duration.ofSeconds(2));
		JsonNode checked = post(CHECK, """
				{"operations":[{"operation":{"name":"source-1_upsampled"},"sceneId":"scene-1",
				  "status":"MEDIA_GENERATION_STATUS_PENDING"}]}""").getBody();
		assertThat(checked.at("/operations/0/status").asString()).isEqualTo("MEDIA_GENERATION_STATUS_SUCCESSFUL");
		assertThat(checked.at("/operations/0/sceneId").asString()).isEqualTo("scene-1");
		String url = checked.at("/operations/0/operation/metadata/video/fifeUrl").asString();
		assertThat(url).contains("?Expires=", "&Signature=");
		assertThat(this.http.get().uri(url).retrieve().toEntity(byte[].class).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(starts().at("/starts/0/model").asString()).isEqualTo("veo_2_1080p_upsampler_8s");
	}

	@Test
	void aRepeatedV1StartOfAFinishedUpscaleAnswersAtOnceWithTheVideoInline() {
		post(START, v1Start("scene-1", "source-1"));
		advance(Duration.ofSeconds(2));

		JsonNode again = post(START, v1Start("scene-2", "source-1")).getBody();

		assertThat(again.at("/operations/0/status").asString()).isEqualTo("MEDIA_GENERATION_STATUS_SUCCESSFUL");
		assertThat(again.at("/operations/0/operation").has("name")).isFalse();
		assertThat(again.at("/operations/0/operation/metadata/video/mediaGenerationId").asString())
			.isEqualTo("source-1_upsampled");
		byte[] video = Base64.getDecoder()
			.decode(again.at("/operations/0/operation/metadata/video/rawBytes").asString());
		assertThat(new String(video, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
		assertThat(starts().at("/starts/1/outcome").asString()).isEqualTo("existing");
	}

	@Test
	void aRepeatedV2StartHandsBackTheExistingUpscaleAtNoCost() {
		configure(Map.of("credits", 60));
		post(START, v2Start("scene-1", "source-1", "veo_3_1_upsampler_4k", "VIDEO_ASPECT_RATIO_LANDSCAPE"));

		JsonNode again = post(START,
				v2Start("scene-2", "source-1", "veo_3_1_upsampler_4k", "VIDEO_ASPECT_RATIO_LANDSCAPE"))
			.getBody();

		assertThat(again.at("/operations/0/operation/name").asString()).isEqualTo("source-1_upsampled");
		assertThat(again.at("/operations/0/sceneId").asString()).isEqualTo("scene-2");
		assertThat(again.path("remainingCredits").asInt()).isEqualTo(10);
		assertThat(starts().path("accepted").asInt()).isEqualTo(1);
	}

	@Test
	void v2RefusesTheDeprecatedModelAndAnAspectRatioOtherThanTheSources() {
		this.http.post()
			.uri("/admin/sources")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("mediaId", "short-1", "aspectRatio", "VIDEO_ASPECT_RATIO_PORTRAIT"))
			.retrieve()
			.toBodilessEntity();

		ResponseEntity<JsonNode> deprecated = post(START,
				v2Start("scene-1", "source-1", "veo_2_1080p_upsampler_8s", "VIDEO_ASPECT_RATIO_LANDSCAPE"));
		ResponseEntity<JsonNode> landscape = post(START,
				v2Start("scene-2", "short-1", "veo_3_1_upsampler_1080p", "VIDEO_ASPECT_RATIO_LANDSCAPE"));
		ResponseEntity<JsonNode> portrait = post(START,
				v2Start("scene-3", "short-1", "veo_3_1_upsampler_1080p", "VIDEO_ASPECT_RATIO_PORTRAIT"));

		assertThat(deprecated.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(deprecated.getBody().at("/error/message").asString()).contains("deprecated");
		assertThat(landscape.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(landscape.getBody().at("/error/message").asString()).contains("VIDEO_ASPECT_RATIO_PORTRAIT");
		assertThat(portrait.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(starts().at("/starts/2/aspectRatio").asString()).isEqualTo("VIDEO_ASPECT_RATIO_PORTRAIT");
	}

	@Test
	void aSpentDailyQuotaIsRefusedUntilTheNextUtcMidnight() {
		configure(Map.of("dailyQuota", 1));
		assertThat(post(START, v2Start("scene-1", "source-1")).getStatusCode()).isEqualTo(HttpStatus.OK);

		ResponseEntity<JsonNode> refused = post(START, v2Start("scene-2", "source-2"));

		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(refused.getBody().at("/error/details/0/reason").asString())
			.isEqualTo("PUBLIC_ERROR_USER_QUOTA_REACHED");
		Instant now = Instant
			.parse(this.http.get().uri("/admin/clock").retrieve().body(JsonNode.class).path("now").asString());
		Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC)
			.plusDays(1)
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant();
		advance(Duration.between(now, midnight).plusSeconds(1));
		assertThat(post(START, v2Start("scene-3", "source-3")).getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void theConcurrentLimitAndTheTierAreTheAccounts() {
		configure(Map.of("concurrentLimit", 1, "tier", "PAYGATE_TIER_ONE"));
		post(START, v2Start("scene-1", "source-1"));

		ResponseEntity<JsonNode> busy = post(START, v2Start("scene-2", "source-2"));
		advance(Duration.ofSeconds(1));
		ResponseEntity<JsonNode> ultraOnly = post(START,
				v2Start("scene-3", "source-3", "veo_3_1_upsampler_4k", "VIDEO_ASPECT_RATIO_LANDSCAPE"));

		assertThat(busy.getBody().at("/error/details/0/reason").asString())
			.isEqualTo("PUBLIC_ERROR_CONCURRENT_LIMIT_REACHED");
		assertThat(ultraOnly.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(ultraOnly.getBody().at("/error/details/0/reason").asString())
			.isEqualTo("PUBLIC_ERROR_MODEL_ACCESS_DENIED");
		assertThat(post(START, v2Start("scene-4", "source-4")).getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void creditsReportTheTierAndWhatIsLeft() {
		configure(Map.of("credits", 120, "tier", "PAYGATE_TIER_TWO"));
		post(START, v2Start("scene-1", "source-1", "veo_3_1_upsampler_4k", "VIDEO_ASPECT_RATIO_LANDSCAPE"));

		JsonNode credits = this.http.get()
			.uri("/v1/credits")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + this.token)
			.retrieve()
			.body(JsonNode.class);

		assertThat(credits.path("credits").asInt()).isEqualTo(70);
		assertThat(credits.path("userPaygateTier").asString()).isEqualTo("PAYGATE_TIER_TWO");
		assertThat(this.http.get().uri("/v1/credits").retrieve().toEntity(JsonNode.class).getStatusCode())
			.isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void videoLinksExpireAndTheRedirectHandsOutAFreshOne() {
		post(START, v2Start("scene-1", "source-1"));
		advance(Duration.ofSeconds(2));
		String first = mediaUrl("source-1_upsampled");
		assertThat(this.http.get().uri(first).retrieve().toEntity(byte[].class).getStatusCode())
			.isEqualTo(HttpStatus.OK);

		advance(Duration.ofHours(6));

		assertThat(this.http.get().uri(first).retrieve().toEntity(byte[].class).getStatusCode())
			.isEqualTo(HttpStatus.FORBIDDEN);
		String fresh = mediaUrl("source-1_upsampled");
		assertThat(fresh).isNotEqualTo(first);
		assertThat(this.http.get().uri(fresh).retrieve().toEntity(byte[].class).getStatusCode())
			.isEqualTo(HttpStatus.OK);
		assertThat(this.http.get()
			.uri(fresh.replaceAll("Signature=.", "Signature=x"))
			.retrieve()
			.toEntity(byte[].class)
			.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
	}

	@Test
	void anOperationReportsTheStatusItIsGiven() {
		post(START, v2Start("scene-1", "source-1"));
		post(START, v2Start("scene-2", "source-2"));

		reportStatus("source-1_upsampled", "MEDIA_GENERATION_STATUS_CANCELED");
		reportStatus("source-2_upsampled", "COMPLETE");

		JsonNode checked = post(CHECK, """
				{"media":[{"name":"source-1_upsampled"},{"name":"source-2_upsampled"}]}""").getBody();
		assertThat(checked.at("/media/0/mediaMetadata/mediaStatus/mediaGenerationStatus").asString())
			.isEqualTo("MEDIA_GENERATION_STATUS_CANCELED");
		assertThat(checked.at("/media/1/mediaMetadata/mediaStatus/mediaGenerationStatus").asString())
			.isEqualTo("MEDIA_GENERATION_STATUS_COMPLETE");
		assertThat(mediaUrl("source-2_upsampled")).contains("/media/");
		assertThat(this.http.post()
			.uri("/admin/statuses")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("name", "nothing", "status", "COMPLETE"))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	private void reportStatus(String name, String status) {
		assertThat(this.http.post()
			.uri("/admin/statuses")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("name", name, "status", status))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
	}

	private String mediaUrl(String name) {
		ResponseEntity<Void> redirect = this.http.get()
			.uri("/fx/api/trpc/media.getMediaUrlRedirect?name={name}&mediaUrlType=MEDIA_URL_TYPE_FULL_MEDIA", name)
			.header(HttpHeaders.COOKIE, SimulatorClient.SESSION_COOKIE + "=" + SESSION)
			.retrieve()
			.toBodilessEntity();
		assertThat(redirect.getStatusCode()).isEqualTo(HttpStatus.TEMPORARY_REDIRECT);
		return redirect.getHeaders().getFirst(HttpHeaders.LOCATION);
	}

	private void configure(Map<String, Object> settings) {
		ResponseEntity<JsonNode> configured = this.http.put()
			.uri("/admin/accounts/{account}", SimulatedAccounts.accountOf(SESSION))
			.contentType(MediaType.APPLICATION_JSON)
			.body(settings)
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(configured.getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	private void advance(Duration duration) {
		this.http.post()
			.uri("/admin/clock")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("advanceBy", duration.toString()))
			.retrieve()
			.toBodilessEntity();
		this.token = SimulatorClient.token(this.http, SESSION);
	}

	private JsonNode starts() {
		return SimulatorClient.starts(this.http);
	}

	private ResponseEntity<JsonNode> post(String path, String body) {
		return SimulatorClient.post(this.http, path, this.token, body);
	}

	private static String v1Start(String sceneId, String mediaId) {
		return """
				{"clientContext": {"sessionId": ";1", "projectId": "project-1", "tool": "PINHOLE"},
				 "requests": [{"aspectRatio": "VIDEO_ASPECT_RATIO_LANDSCAPE", "seed": 1, "videoInput": {"mediaId": "%s"},
				               "videoModelKey": "veo_2_1080p_upsampler_8s", "metadata": {"sceneId": "%s"}}]}"""
			.formatted(mediaId, sceneId);
	}

	private static String v2Start(String sceneId, String mediaId) {
		return v2Start(sceneId, mediaId, "veo_3_1_upsampler_1080p", "VIDEO_ASPECT_RATIO_LANDSCAPE");
	}

	private static String v2Start(String sceneId, String mediaId, String model, String aspectRatio) {
		return """
				{"mediaGenerationContext": {"batchId": "b"},
				 "clientContext": {"sessionId": ";1", "projectId": "project-1", "tool": "PINHOLE"},
				 "requests": [{"aspectRatio": "%s", "resolution": "VIDEO_RESOLUTION_1080P", "seed": 1,
				               "videoInput": {"mediaId": "%s"}, "videoModelKey": "%s", "metadata": {"sceneId": "%s"}}],
				 "useV2ModelConfig": true}""".formatted(aspectRatio, mediaId, model, sceneId);
	}

}
