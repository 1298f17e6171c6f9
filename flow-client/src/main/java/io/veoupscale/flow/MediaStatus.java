package io.veoupscale.flow;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The state of one operation.
 *
 * @param name the media (operation) name
 * @param status the state
 * @param rawStatus the status text as Flow sent it
 * @param failureReasons why it failed, when it did
 * @param videoUrl the video's URL when the dialect reports it with the status (v1)
 */
public record MediaStatus(String name, MediaGenerationStatus status, String rawStatus, List<String> failureReasons,
		@Nullable String videoUrl) {

}
