package io.veoupscale.flow.internal;

import java.util.List;

import io.veoupscale.flow.MediaGenerationStatus;
import io.veoupscale.flow.MediaRef;
import io.veoupscale.flow.MediaStatus;
import io.veoupscale.flow.UpscaleStart;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request and answer shapes of both dialects, against flow-api.md's examples.
 */
class DialectTests {

	private static final UpscaleStart START = new UpscaleStart("scene-1", "media-1", "veo_3_1_upsampler_4k", "fp1",
			null, "captcha-token");

	@Test
	void v2StartsWithResolutionContextAndRecaptcha() {
		JsonNode body = new Dialect.V2().startBody(START, 1764072000000L);

		assertThat(body.at("/clientContext/sessionId").asString()).isEqualTo(";1764072000000");
		assertThat(body.at("/clientContext/projectId").asString()).isEqualTo("fp1");
		assertThat(body.at("/clientContext/recaptchaContext/token").asString()).isEqualTo("captcha-token");
		assertThat(body.at("/requests/0/resolution").asString()).isEqualTo("VIDEO_RESOLUTION_4K");
		assertThat(body.at("/requests/0/videoInput/mediaId").asString()).isEqualTo("media-1");
		assertThat(body.at("/requests/0/metadata/sceneId").asString()).isEqualTo("scene-1");
		assertThat(body.at("/useV2ModelConfig").asBoolean()).isTrue();
		assertThat(body.at("/mediaGenerationContext/batchId").asString()).isNotBlank();
	}

	@Test
	void v1StartsWithoutTheV2Fields() {
		JsonNode body = new Dialect.V1().startBody(START, 1L);

		assertThat(body.has("mediaGenerationContext")).isFalse();
		assertThat(body.has("useV2ModelConfig")).isFalse();
		assertThat(body.at("/requests/0").has("resolution")).isFalse();
		assertThat(body.at("/requests/0/videoModelKey").asString()).isEqualTo("veo_3_1_upsampler_4k");
	}

	@Test
	void v1ChecksOperationsAndReadsTheSignedUrl() {
		Dialect v1 = new Dialect.V1();
		JsonNode body = v1.checkBody(List.of(new MediaRef("op-1", "fp1", "scene-1")));
		assertThat(body.at("/operations/0/operation/name").asString()).isEqualTo("op-1");
		assertThat(body.at("/operations/0/sceneId").asString()).isEqualTo("scene-1");

		List<MediaStatus> statuses = v1.parseCheck(Dialect.JSON.readTree(
				"""
						{"operations":[{"operation":{"name":"op-1","metadata":{"video":{"mediaGenerationId":"m","fifeUrl":"https://v.test/1.mp4"}}},
						  "sceneId":"scene-1","status":"MEDIA_GENERATION_STATUS_SUCCESSFUL"}]}"""));

		assertThat(statuses).singleElement().satisfies((status) -> {
			assertThat(status.status()).isEqualTo(MediaGenerationStatus.SUCCESSFUL);
			assertThat(status.videoUrl()).isEqualTo("https://v.test/1.mp4");
		});
	}

	@Test
	void v2ReadsFailuresAndTreatsUnknownStatusesAsRunning() {
		List<MediaStatus> statuses = new Dialect.V2().parseCheck(Dialect.JSON.readTree(
				"""
						{"media":[
						  {"name":"a","mediaMetadata":{"mediaStatus":{"mediaGenerationStatus":"MEDIA_GENERATION_STATUS_FAILED","failureReasons":["PROMINENT_PERSON"]}}},
						  {"name":"b","mediaMetadata":{"mediaStatus":{"mediaGenerationStatus":"MEDIA_GENERATION_STATUS_SOMETHING_NEW"}}}],
						 "remainingCredits":240}"""));

		assertThat(statuses.get(0).failureReasons()).containsExactly("PROMINENT_PERSON");
		assertThat(statuses.get(1).status()).isEqualTo(MediaGenerationStatus.UNKNOWN);
		assertThat(statuses.get(1).status().isFinal()).isFalse();
	}

}
