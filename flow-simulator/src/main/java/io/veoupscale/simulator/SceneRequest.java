package io.veoupscale.simulator;

import org.jspecify.annotations.Nullable;

/**
 * The parts of one start request item the simulator keeps, possibly incomplete.
 *
 * @param sceneId {@code metadata.sceneId}
 * @param mediaId {@code videoInput.mediaId}
 * @param model {@code videoModelKey}
 * @param resolution {@code resolution}
 * @param aspectRatio {@code aspectRatio}
 */
record SceneRequest(@Nullable String sceneId, @Nullable String mediaId, @Nullable String model,
		@Nullable String resolution, @Nullable String aspectRatio) {

	static final SceneRequest EMPTY = new SceneRequest(null, null, null, null, null);

}
