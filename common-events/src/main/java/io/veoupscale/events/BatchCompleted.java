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
 * @param cancelledCount items that never started because the batch was cancelled (counted
 * in {@code failureCount} too); 0 for a batch that ran to its end, and when absent from
 * older JSON
 */
public record BatchCompleted(String batchId, int successCount, int failureCount, int total, String eventId,
		Instant occurredAt, int cancelledCount) implements BatchEvent {

	/** The wire type name. */
	public static final String TYPE = "veo3:batch:upscale:completed";

	/**
	 * A batch that ran to its end, none of its items cancelled.
	 * @param batchId the batch id
	 * @param successCount items initiated upstream
	 * @param failureCount items that failed
	 * @param total the number of items
	 * @param eventId the event id
	 * @param occurredAt when the last item finished
	 */
	public BatchCompleted(String batchId, int successCount, int failureCount, int total, String eventId,
			Instant occurredAt) {
		this(batchId, successCount, failureCount, total, eventId, occurredAt, 0);
	}

	@Override
	public String type() {
		return TYPE;
	}

}
