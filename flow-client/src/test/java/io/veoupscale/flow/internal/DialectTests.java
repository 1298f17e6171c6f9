package io.veoupscale.flow.internal;

import java.util.List;

import io.veoupscale.flow.AspectRatio;
import io.veoupscale.flow.MediaGenerationStatus;
import io.veoupscale.flow.MediaRef;
import io.veoupscale.flow.AccountCredits;
import io.veoupscale.flow.MediaStatus;
import io.veoupscale.flow.PaygateTier;
import io.veoupscale.flow.StartedUpscale;
import io.veoupscale.flow.StatusReport;
import io.veoupscale.flow.UpscaleStart;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request and answer shapes of both dialects, against flow-api.md's examples.
 */
class DialectTests {

	private static final UpscaleStart START = new UpscaleStart("scene-1", "media-1", "veo_3_1_upsampler_4k", "fp1",
			AspectRatio.PORTRAIT, "captcha-token");

	@Test
	void v2StartsWithResolutionContextAndRecaptcha() {
		JsonNode body = new Dialect.V2().startBody(START, "PAYGATE_TIER_TWO", 1764072000000L);

		assertThat(body.at("/clientContext/sessionId").asString()).isEqualTo(";1764072000000");
		assertThat(body.at("/clientContext/projectId").asString()).isEqualTo("fp1");
		assertThat(body.at("/clientContext/recaptchaContext/token").asString()).isEqualTo("captcha-token");
		assertThat(body.at("/requests/0/resolution").asString()).isEqualTo("VIDEO_RESOLUTION_4K");
		assertThat(body.at("/requests/0/aspectRatio").asString()).isEqualTo("VIDEO_ASPECT_RATIO_PORTRAIT");
		assertThat(body.at("/requests/0/videoInput/mediaId").asString()).isEqualTo("media-1");
		assertThat(body.at("/requests/0/metadata/sceneId").asString()).isEqualTo("scene-1");
		assertThat(body.at("/useV2ModelConfig").asBoolean()).isTrue();
		assertThat(body.at("/mediaGenerationContext/batchId").asString()).isNotBlank();
		assertThat(body.at("/mediaGenerationContext/audioFailurePreference").asString())
			.isEqualTo("BLOCK_SILENCED_VIDEOS");
		assertThat(body.at("/clientContext/userPaygateTier").asString()).isEqualTo("PAYGATE_TIER_TWO");
	}

	@Test
	void v2ClaimsNoTierBeforeFlowReportedOne() {
		JsonNode body = new Dialect.V2().startBody(START, null, 1L);

		assertThat(body.at("/clientContext").has("userPaygateTier")).isFalse();
	}

	@Test
	void v1StartsWithoutTheV2Fields() {
		JsonNode body = new Dialect.V1().startBody(START, "PAYGATE_TIER_TWO", 1L);

		assertThat(body.has("mediaGenerationContext")).isFalse();
		assertThat(body.has("useV2ModelConfig")).isFalse();
		assertThat(body.at("/clientContext").has("userPaygateTier")).isFalse();
		assertThat(body.at("/requests/0").has("resolution")).isFalse();
		assertThat(body.at("/requests/0/videoModelKey").asString()).isEqualTo("veo_3_1_upsampler_4k");
	}

	@Test
	void v1ChecksOperationsAndReadsTheSignedUrl() {
		Dialect v1 = new Dialect.V1();
		JsonNode body = v1.checkBody(List.of(new MediaRef("op-1", "fp1", "scene-1")));
		assertThat(body.at("/operations/0/operation/name").asString()).isEqualTo("op-1");
		assertThat(body.at("/operations/0/sceneId").asString()).isEqualTo("scene-1");

		List<MediaStatus> statuses = v1
			.parseCheck(Dialect.JSON.readTree(
					"""
							{"operations":[{"operation":{"name":"op-1","metadata":{"video":{"mediaGenerationId":"m","fifeUrl":"https://v.test/1.mp4"}}},
							  "sceneId":"scene-1","status":"MEDIA_GENERATION_STATUS_SUCCESSFUL"}]}"""))
			.media();

		assertThat(statuses).singleElement().satisfies((status) -> {
			assertThat(status.status()).isEqualTo(MediaGenerationStatus.SUCCESSFUL);
			assertThat(status.videoUrl()).isEqualTo("https://v.test/1.mp4");
		});
	}

	@Test
	void v2ReadsFailuresAndTreatsUnknownStatusesAsRunning() {
		StatusReport report = new Dialect.V2().parseCheck(Dialect.JSON.readTree(
				"""
						{"media":[
						  {"name":"a","mediaMetadata":{"mediaStatus":{"mediaGenerationStatus":"MEDIA_GENERATION_STATUS_FAILED","failureReasons":["PROMINENT_PERSON"]}}},
						  {"name":"b","mediaMetadata":{"mediaStatus":{"mediaGenerationStatus":"MEDIA_GENERATION_STATUS_SOMETHING_NEW"}}}],
						 "remainingCredits":240}"""));
		List<MediaStatus> statuses = report.media();

		assertThat(statuses.get(0).failureReasons()).containsExactly("PROMINENT_PERSON");
		assertThat(statuses.get(1).status()).isEqualTo(MediaGenerationStatus.UNKNOWN);
		assertThat(statuses.get(1).status().isFinal()).isFalse();
		assertThat(report.remainingCredits()).isEqualTo(240);
	}

	@Test
	void readsEveryStatusOfFlowsFrontEndWithCanceledSpeltWithOneL() {
		assertThat(MediaGenerationStatus.of("MEDIA_GENERATION_STATUS_SCHEDULED").isFinal()).isFalse();
		assertThat(MediaGenerationStatus.of("MEDIA_GENERATION_STATUS_IN_PROGRESS").isGenerating()).isTrue();
		assertThat(MediaGenerationStatus.of("MEDIA_GENERATION_STATUS_COMPLETE").isSuccess()).isTrue();
		assertThat(MediaGenerationStatus.of("MEDIA_GENERATION_STATUS_SUCCESSFUL").isSuccess()).isTrue();
		assertThat(MediaGenerationStatus.of("MEDIA_GENERATION_STATUS_CANCELED"))
			.isEqualTo(MediaGenerationStatus.CANCELED);
		assertThat(MediaGenerationStatus.of("MEDIA_GENERATION_STATUS_CANCELLED"))
			.isEqualTo(MediaGenerationStatus.CANCELED);
		assertThat(MediaGenerationStatus.CANCELED.isFinal()).isTrue();
		assertThat(MediaGenerationStatus.CANCELED.isSuccess()).isFalse();
		assertThat(MediaGenerationStatus.of("MEDIA_GENERATION_STATUS_UNKNOWN").isKnown()).isFalse();
		assertThat(MediaGenerationStatus.of("SUCCESSFUL")).as("without the prefix it is not Flow's")
			.isEqualTo(MediaGenerationStatus.UNKNOWN);
	}

	@Test
	void anUpscaleFlowHadComesBackAsStartedWhateverTheShapeOfTheAnswer() {
		Dialect v1 = new Dialect.V1();

		StartedUpscale inline = v1.parseStart(Dialect.JSON.readTree(
				"""
						{"operations":[{"operation":{"metadata":{"video":{"mediaGenerationId":"media-1_upsampled","rawBytes":"AAAA"}}},
						  "sceneId":"scene-1","status":"MEDIA_GENERATION_STATUS_SUCCESSFUL"}],"remainingCredits":90}"""),
				START);
		StartedUpscale bare = v1.parseStart(Dialect.JSON.readTree("""
				{"operations":[{"status":"MEDIA_GENERATION_STATUS_SUCCESSFUL","rawBytes":"AAAA"}]}"""), START);
		StartedUpscale existing = new Dialect.V2().parseStart(Dialect.JSON.readTree("""
				{"media":[{"name":"media-1_upsampled","mediaMetadata":{"mediaStatus":
				  {"mediaGenerationStatus":"MEDIA_GENERATION_STATUS_ACTIVE"}}}],"workflows":[]}"""), START);

		assertThat(inline)
			.isEqualTo(new StartedUpscale("media-1_upsampled", "scene-1", MediaGenerationStatus.SUCCESSFUL, 90));
		assertThat(bare.operationName()).isEqualTo("media-1_upsampled");
		assertThat(existing.status()).isEqualTo(MediaGenerationStatus.ACTIVE);
		assertThat(v1.parseStart(Dialect.JSON.readTree("""
				{"operations":[{"status":"MEDIA_GENERATION_STATUS_PENDING"}]}"""), START))
			.as("a running start that names nothing cannot be tracked")
			.isNull();
	}

	@Test
	void readsTheTierWithoutTakingAnUnknownOneForFree() {
		assertThat(Dialect.parseCredits(Dialect.JSON.readTree("""
				{"credits":120,"userPaygateTier":"PAYGATE_TIER_ONE","sku":"x"}""")))
			.isEqualTo(new AccountCredits(120, PaygateTier.ONE, "PAYGATE_TIER_ONE"));
		assertThat(Dialect.parseCredits(Dialect.JSON.readTree("""
				{"userPaygateTier":"PAYGATE_TIER_THREE"}""")).tier()).isEqualTo(PaygateTier.UNKNOWN);
		assertThat(PaygateTier.UNKNOWN.isBelow(PaygateTier.TWO)).isFalse();
		assertThat(PaygateTier.ONE.isBelow(PaygateTier.TWO)).isTrue();
		assertThat(PaygateTier.NOT_PAID.isBelow(PaygateTier.ONE)).isTrue();
	}

}
