package io.veoupscale.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A command on a batch, on the {@link Topics#BATCH_COMMANDS} topic keyed by batchId: the
 * same control operators have over HTTP, for services that speak Kafka. Commands are
 * idempotent: one that changes nothing (pausing a paused batch) is a no-op, and one that
 * carries a {@code commandId} is applied once however often it is delivered.
 *
 * @param batchId the batch to act on
 * @param command {@code cancel}, {@code pause} or {@code resume}
 * @param upstream with {@code cancel}: also cancel at Flow the upscales already started
 * @param commandId an id of the command, so that a redelivery acts once; optional
 * @param requestedBy who asked, for the record; optional
 * @param requestedAt when it was asked; optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchCommand(@Nullable String batchId, @Nullable String command, @Nullable Boolean upstream,
		@Nullable String commandId, @Nullable String requestedBy, @Nullable Instant requestedAt) {

	/** Cancels the batch. */
	public static final String CANCEL = "cancel";

	/** Pauses the batch. */
	public static final String PAUSE = "pause";

	/** Resumes a paused batch. */
	public static final String RESUME = "resume";

	/**
	 * Whether a cancel also cancels the started upscales at Flow.
	 * @return {@code upstream}, false when absent
	 */
	public boolean upstreamOrDefault() {
		return Boolean.TRUE.equals(this.upstream);
	}

}
