package io.veoupscale.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * {@code veo3:batch:upscale:progress}: one item of a batch was initiated upstream, or
 * failed.
 *
 * @param batchId the batch id
 * @param sourceGenerationId the item's source video id
 * @param success whether the upscale was initiated
 * @param upscaleId the new upscale's id (success only)
 * @param sceneId the scene id sent upstream (success only)
 * @param operationName the upstream operation name (success only)
 * @param error why the item failed (failure only)
 * @param index the item's 1-based position in the batch
 * @param total the number of items in the batch
 * @param eventId the event id
 * @param occurredAt when the item finished
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemProgressed(String batchId, String sourceGenerationId, boolean success, @Nullable String upscaleId,
		@Nullable String sceneId, @Nullable String operationName, @Nullable String error, int index, int total,
		String eventId, Instant occurredAt) implements BatchEvent {

	/** The wire type name. */
	public static final String TYPE = "veo3:batch:upscale:progress";

	@Override
	public String type() {
		return TYPE;
	}

	/**
	 * An item that was initiated upstream.
	 * @param batchId the batch id
	 * @param index the 1-based index
	 * @param total the batch size
	 * @param sourceGenerationId the source video id
	 * @param upscaleId the upscale id
	 * @param sceneId the scene id
	 * @param operationName the upstream operation name
	 * @param eventId the event id
	 * @param occurredAt when it was initiated
	 * @return the event
	 */
	public static ItemProgressed succeeded(String batchId, int index, int total, String sourceGenerationId,
			String upscaleId, String sceneId, String operationName, String eventId, Instant occurredAt) {
		return new ItemProgressed(batchId, sourceGenerationId, true, upscaleId, sceneId, operationName, null, index,
				total, eventId, occurredAt);
	}

	/**
	 * An item that failed validation or was refused upstream.
	 * @param batchId the batch id
	 * @param index the 1-based index
	 * @param total the batch size
	 * @param sourceGenerationId the source video id
	 * @param error the reason
	 * @param eventId the event id
	 * @param occurredAt when it failed
	 * @return the event
	 */
	public static ItemProgressed failed(String batchId, int index, int total, String sourceGenerationId, String error,
			String eventId, Instant occurredAt) {
		return new ItemProgressed(batchId, sourceGenerationId, false, null, null, null, error, index, total, eventId,
				occurredAt);
	}

}
