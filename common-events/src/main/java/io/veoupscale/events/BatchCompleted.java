package io.veoupscale.events;

import java.time.Instant;

/**
 * {@code veo3:batch:upscale:completed}: every item of a batch was initiated or failed.
 * Emitted once per batch.
 *
 * @param batchId the batch id
 * @param successCount items initiated upstream
 * @param failureCount items that failed
 * @param total the number of items
 * @param eventId the event id
 * @param occurredAt when the last item finished
 */
public record BatchCompleted(String batchId, int successCount, int failureCount, int total, String eventId,
		Instant occurredAt) implements BatchEvent {

	/** The wire type name. */
	public static final String TYPE = "veo3:batch:upscale:completed";

	@Override
	public String type() {
		return TYPE;
	}

}
