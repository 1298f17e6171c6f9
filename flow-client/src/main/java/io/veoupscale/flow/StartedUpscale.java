package io.veoupscale.flow;

import org.jspecify.annotations.Nullable;

/**
 * An upscale Flow accepted, or one it already had for the source video.
 *
 * @param operationName the name to check the operation by
 * @param sceneId the scene id of the request
 * @param status the status Flow reported at once ({@code SUCCESSFUL} for a video that was
 * upscaled already)
 * @param remainingCredits the account's credits, when Flow reported them
 */
public record StartedUpscale(String operationName, String sceneId, MediaGenerationStatus status,
		@Nullable Integer remainingCredits) {

}
