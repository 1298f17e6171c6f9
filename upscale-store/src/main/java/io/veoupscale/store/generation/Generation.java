package io.veoupscale.store.generation;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A source video.
 *
 * @param id the generation id
 * @param projectId the project it belongs to
 * @param profileId the profile that made it
 * @param status one of {@link #STATUSES}
 * @param mediaGenerationId Flow's media id of the video, once it exists
 * @param flowProjectId the Flow project the video lives in
 * @param aspectRatio its shape, one of {@link #ASPECT_RATIOS}
 * @param hasUpscale whether an upscale of it exists that has not failed
 * @param createdAt when it was first stored
 * @param updatedAt when it last changed
 */
public record Generation(String id, String projectId, String profileId, String status,
		@Nullable String mediaGenerationId, @Nullable String flowProjectId, String aspectRatio, boolean hasUpscale,
		Instant createdAt, Instant updatedAt) {

	/** The status of a video that can be upscaled. */
	public static final String COMPLETED = "completed";

	/** Every status a generation can have. */
	public static final Set<String> STATUSES = Set.of("pending", "processing", COMPLETED, "failed");

	/** The aspect ratio of a generation registered without one. */
	public static final String LANDSCAPE = "landscape";

	/** Every aspect ratio a generation can have. */
	public static final Set<String> ASPECT_RATIOS = Set.of(LANDSCAPE, "portrait", "square");

}
