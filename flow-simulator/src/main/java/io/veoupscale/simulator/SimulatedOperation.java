package io.veoupscale.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An accepted upscale whose status follows from the time elapsed since its start, so no
 * background job has to advance it.
 *
 * @param name the media name handed to the client: {@code <mediaId>_upsampled}, as Flow
 * names an upscale after its source
 * @param sceneId the caller's idempotency key
 * @param mediaId the source video
 * @param projectId the Flow project of the start call
 * @param account the simulated account that started it
 * @param startedAt when the start was accepted
 * @param fails whether it ends FAILED instead of SUCCESSFUL
 * @param failureReasons the reasons reported once it has failed
 * @param fileId the opaque id of its video file in signed URLs
 */
record SimulatedOperation(String name, String sceneId, String mediaId, @Nullable String projectId, String account,
		Instant startedAt, boolean fails, List<String> failureReasons, String fileId) {

	GenerationStatus statusAt(Instant now, SimulatorProperties properties) {
		Duration elapsed = Duration.between(this.startedAt, now);
		if (elapsed.compareTo(properties.pendingFor()) < 0) {
			return GenerationStatus.PENDING;
		}
		if (this.fails) {
			return GenerationStatus.FAILED;
		}
		return (elapsed.compareTo(properties.completeAfter()) < 0) ? GenerationStatus.ACTIVE
				: GenerationStatus.SUCCESSFUL;
	}

	boolean mediaReadyAt(Instant now, SimulatorProperties properties) {
		Instant readyAt = this.startedAt.plus(properties.completeAfter()).plus(properties.mediaUrlDelay());
		return statusAt(now, properties) == GenerationStatus.SUCCESSFUL && !now.isBefore(readyAt);
	}

	List<String> reportedFailureReasons(Instant now, SimulatorProperties properties) {
		return (statusAt(now, properties) == GenerationStatus.FAILED) ? this.failureReasons : List.of();
	}

}
