package io.veoupscale.flow;

import org.jspecify.annotations.Nullable;

/**
 * An operation to check.
 *
 * @param name the media (operation) name
 * @param projectId the Flow project it lives in
 * @param sceneId the scene id it was started with (the v1 dialect sends it back)
 */
public record MediaRef(String name, @Nullable String projectId, @Nullable String sceneId) {

}
