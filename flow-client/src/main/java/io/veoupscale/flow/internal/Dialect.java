package io.veoupscale.flow.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.veoupscale.flow.AccountCredits;
import io.veoupscale.flow.MediaGenerationStatus;
import io.veoupscale.flow.MediaRef;
import io.veoupscale.flow.MediaStatus;
import io.veoupscale.flow.PaygateTier;
import io.veoupscale.flow.StartedUpscale;
import io.veoupscale.flow.StatusReport;
import io.veoupscale.flow.UpscaleStart;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The request and response shapes of one Flow API dialect (flow-api.md).
 */
abstract class Dialect {

	static final JsonMapper JSON = JsonMapper.builder().build();

	abstract JsonNode startBody(UpscaleStart start, @Nullable String paygateTier, long nowMillis);

	abstract JsonNode checkBody(List<MediaRef> media);

	abstract StatusReport parseCheck(JsonNode response);

	/**
	 * Both dialects answer a start with {@code operations[]}; v2 may answer with
	 * {@code media[]}. A video upscaled already comes back as that upscale: in v2 its
	 * {@code <mediaId>_upsampled}, in v1 finished at once with the video inline
	 * ({@code rawBytes}), possibly without an operation name, in which case it is known
	 * by the name Flow gives every upscale of the source.
	 */
	@Nullable StartedUpscale parseStart(JsonNode response, UpscaleStart start) {
		Integer credits = remainingCredits(response);
		JsonNode operation = response.path("operations").path(0);
		if (!operation.isMissingNode()) {
			MediaGenerationStatus status = status(operation.path("status"));
			JsonNode video = operation.path("operation").path("metadata").path("video");
			String name = text(operation.path("operation"), "name");
			if (name == null) {
				name = text(video, "mediaGenerationId");
			}
			if (name == null && status.isSuccess()) {
				name = start.upscaledMediaName();
			}
			if (name != null) {
				return new StartedUpscale(name, operation.path("sceneId").asString(start.sceneId()), status, credits);
			}
		}
		JsonNode media = response.path("media").path(0);
		if (media.hasNonNull("name")) {
			return new StartedUpscale(media.path("name").asString(), start.sceneId(),
					status(media.path("mediaMetadata").path("mediaStatus").path("mediaGenerationStatus")), credits);
		}
		return null;
	}

	static AccountCredits parseCredits(JsonNode response) {
		String tier = text(response, "userPaygateTier");
		JsonNode credits = response.path("credits");
		return new AccountCredits(credits.isNumber() ? credits.asInt() : null, PaygateTier.of(tier), tier);
	}

	static @Nullable Integer remainingCredits(JsonNode response) {
		JsonNode credits = response.path("remainingCredits");
		return credits.isNumber() ? credits.asInt() : null;
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString() && !value.asString().isEmpty()) ? value.asString() : null;
	}

	ObjectNode clientContext(UpscaleStart start, long nowMillis) {
		ObjectNode context = JSON.createObjectNode();
		context.put("sessionId", ";" + nowMillis);
		if (start.flowProjectId() != null) {
			context.put("projectId", start.flowProjectId());
		}
		context.put("tool", "PINHOLE");
		if (start.recaptchaToken() != null) {
			context.putObject("recaptchaContext")
				.put("token", start.recaptchaToken())
				.put("applicationType", "RECAPTCHA_APPLICATION_TYPE_WEB");
		}
		return context;
	}

	ObjectNode request(UpscaleStart start) {
		ObjectNode request = JSON.createObjectNode();
		request.put("aspectRatio", start.aspectRatio().wireName());
		request.put("seed", Math.floorMod(start.sceneId().hashCode(), 100_000));
		request.putObject("videoInput").put("mediaId", start.mediaId());
		request.put("videoModelKey", start.model());
		request.putObject("metadata").put("sceneId", start.sceneId());
		return request;
	}

	static MediaGenerationStatus status(JsonNode text) {
		return MediaGenerationStatus.of(text.asString(""));
	}

	static List<String> texts(JsonNode array) {
		List<String> texts = new ArrayList<>();
		for (JsonNode item : array) {
			texts.add(item.isString() ? item.asString() : item.toString());
		}
		return texts;
	}

	static Dialect of(io.veoupscale.flow.FlowDialect dialect) {
		return (dialect == io.veoupscale.flow.FlowDialect.V1) ? new V1() : new V2();
	}

	/**
	 * 2026: media names in the status check, no URL with the status.
	 */
	static final class V2 extends Dialect {

		/**
		 * The body 2026 clients send: with the account's own tier, as Flow's credits call
		 * reported it (never a guessed one: a claim above the account's tier is refused),
		 * and silenced videos blocked.
		 */
		@Override
		JsonNode startBody(UpscaleStart start, @Nullable String paygateTier, long nowMillis) {
			ObjectNode body = JSON.createObjectNode();
			body.putObject("mediaGenerationContext")
				.put("batchId",
						UUID.nameUUIDFromBytes(("batch:" + start.sceneId()).getBytes(StandardCharsets.UTF_8))
							.toString())
				.put("audioFailurePreference", "BLOCK_SILENCED_VIDEOS");
			ObjectNode context = clientContext(start, nowMillis);
			if (paygateTier != null) {
				context.put("userPaygateTier", paygateTier);
			}
			body.set("clientContext", context);
			ObjectNode request = request(start);
			request.put("resolution", start.model().toLowerCase(Locale.ROOT).contains("4k") ? "VIDEO_RESOLUTION_4K"
					: "VIDEO_RESOLUTION_1080P");
			body.putArray("requests").add(request);
			body.put("useV2ModelConfig", true);
			return body;
		}

		@Override
		JsonNode checkBody(List<MediaRef> media) {
			ObjectNode body = JSON.createObjectNode();
			ArrayNode items = body.putArray("media");
			for (MediaRef ref : media) {
				ObjectNode item = items.addObject().put("name", ref.name());
				if (ref.projectId() != null) {
					item.put("projectId", ref.projectId());
				}
			}
			return body;
		}

		@Override
		StatusReport parseCheck(JsonNode response) {
			List<MediaStatus> statuses = new ArrayList<>();
			for (JsonNode media : response.path("media")) {
				JsonNode mediaStatus = media.path("mediaMetadata").path("mediaStatus");
				String raw = mediaStatus.path("mediaGenerationStatus").asString("");
				statuses.add(new MediaStatus(media.path("name").asString(), MediaGenerationStatus.of(raw), raw,
						texts(mediaStatus.path("failureReasons")), null));
			}
			return new StatusReport(statuses, remainingCredits(response));
		}

	}

	/**
	 * 2025: the same start path without the v2 fields, operations (with scene ids) in the
	 * status check, a signed URL with success.
	 */
	static final class V1 extends Dialect {

		@Override
		JsonNode startBody(UpscaleStart start, @Nullable String paygateTier, long nowMillis) {
			ObjectNode body = JSON.createObjectNode();
			body.set("clientContext", clientContext(start, nowMillis));
			body.putArray("requests").add(request(start));
			return body;
		}

		@Override
		JsonNode checkBody(List<MediaRef> media) {
			ObjectNode body = JSON.createObjectNode();
			ArrayNode operations = body.putArray("operations");
			for (MediaRef ref : media) {
				ObjectNode operation = operations.addObject();
				operation.putObject("operation").put("name", ref.name());
				if (ref.sceneId() != null) {
					operation.put("sceneId", ref.sceneId());
				}
				operation.put("status", "MEDIA_GENERATION_STATUS_PENDING");
			}
			return body;
		}

		@Override
		StatusReport parseCheck(JsonNode response) {
			List<MediaStatus> statuses = new ArrayList<>();
			for (JsonNode operation : response.path("operations")) {
				String raw = operation.path("status").asString("");
				JsonNode video = operation.path("operation").path("metadata").path("video");
				String url = video.hasNonNull("fifeUrl") ? video.get("fifeUrl").asString() : null;
				statuses.add(new MediaStatus(operation.path("operation").path("name").asString(),
						MediaGenerationStatus.of(raw), raw, texts(operation.path("failureReasons")), url));
			}
			return new StatusReport(statuses, remainingCredits(response));
		}

	}

}
