package io.veoupscale.flow;

/**
 * An upscale Flow accepted.
 *
 * @param operationName the name to check the operation by
 * @param sceneId the scene id of the request
 * @param status the status Flow reported at once
 */
public record StartedUpscale(String operationName, String sceneId, MediaGenerationStatus status) {

}
