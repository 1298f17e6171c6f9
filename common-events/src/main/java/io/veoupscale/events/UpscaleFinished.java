package io.veoupscale.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * {@code veo3:upscale:status}: an initiated upscale reached its end at Flow.
 *
 * @param batchId the batch the upscale belongs to
 * @param upscaleId the upscale id
 * @param sourceGenerationId the source video id
 * @param status {@code completed} or {@code failed}
 * @param videoUrl the upscaled video (completed only)
 * @param error why it failed (failed only)
 * @param eventId the event id
 * @param occurredAt when the end was seen
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpscaleFinished(String batchId, String upscaleId, String sourceGenerationId, String status,
		@Nullable String videoUrl, @Nullable String error, String eventId, Instant occurredAt) implements BatchEvent {

	/** The wire type name. */
	public static final String TYPE = "veo3:upscale:status";

	/** Status of an upscale that produced its video. */
	public static final String COMPLETED = "completed";

	/** Status of an upscale that ended without a video. */
	public static final String FAILED = "failed";

	@Override
	public String type() {
		return TYPE;
	}

}
