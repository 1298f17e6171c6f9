package io.veoupscale.simulator;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One request item of a start call as the call log keeps it, whatever its outcome.
 *
 * @param sceneId the caller's idempotency key, null when the item lacked it
 * @param mediaId the source video, null when the item lacked it
 * @param model the video model key
 * @param resolution the requested resolution
 * @param aspectRatio the requested aspect ratio
 * @param projectId the Flow project of the call
 * @param account the simulated account, null when the call was not authenticated
 * @param receivedAt when the call arrived
 * @param outcome {@code accepted}, {@code existing} (the source video was upscaled
 * already, and that upscale was handed back), the HTTP status answered (such as
 * {@code 409}), or {@code disconnected}
 */
record StartCall(@Nullable String sceneId, @Nullable String mediaId, @Nullable String model,
		@Nullable String resolution, @Nullable String aspectRatio, @Nullable String projectId, @Nullable String account,
		Instant receivedAt, String outcome) {

	static final String ACCEPTED = "accepted";

	static final String EXISTING = "existing";

	static final String DISCONNECTED = "disconnected";

}
