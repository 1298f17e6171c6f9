package io.veoupscale.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import org.jspecify.annotations.Nullable;

/**
 * The record on the operations topic: an upscale was accepted by Flow and must be tracked
 * to its end.
 *
 * @param upscaleId the upscale id, also the record key
 * @param batchId the batch it belongs to
 * @param index the item's 1-based index in the batch
 * @param sourceGenerationId the source video id
 * @param profileId the profile whose account runs the upscale
 * @param sceneId the scene id sent upstream
 * @param operationName the upstream operation (media) name to check
 * @param flowProjectId the Flow project of the source video
 * @param model the upsampler model
 * @param initiatedAt when Flow accepted the start
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonTypeName(UpscaleInitiated.TYPE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpscaleInitiated(String upscaleId, String batchId, int index, String sourceGenerationId, String profileId,
		String sceneId, String operationName, @Nullable String flowProjectId, String model, Instant initiatedAt) {

	/** The wire type name. */
	public static final String TYPE = "veo3:upscale:initiated";

}
