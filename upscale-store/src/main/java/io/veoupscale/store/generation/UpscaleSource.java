package io.veoupscale.store.generation;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A source video as a worker checks it before an upscale start, with the state of the
 * profile that made it.
 *
 * @param status the generation's status
 * @param mediaGenerationId Flow's media id, if known
 * @param profileId the profile that made it
 * @param flowProjectId the Flow project, if known
 * @param aspectRatio its aspect ratio as stored, if known
 * @param loggedIn whether the profile is logged in; null if there is no such profile
 * @param hasCookies whether the profile has cookies stored
 * @param cookiesExpireAt when the profile's cookies expire, if known
 * @param profileUpdatedAt when the profile's row last changed; null if there is no such
 * profile
 */
public record UpscaleSource(String status, @Nullable String mediaGenerationId, String profileId,
		@Nullable String flowProjectId, @Nullable String aspectRatio, @Nullable Boolean loggedIn, boolean hasCookies,
		@Nullable Instant cookiesExpireAt, @Nullable Instant profileUpdatedAt) {

}
