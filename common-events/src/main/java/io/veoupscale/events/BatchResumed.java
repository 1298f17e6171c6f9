package io.veoupscale.events;

import java.time.Instant;

/**
 * {@code veo3:batch:upscale:resumed}: an operator resumed a paused batch: its next item
 * starts no sooner than its delay after its last start.
 *
 * @param batchId the batch id
 * @param index how many of its items had ended (started or failed) at that moment; the
 * next item to start is the one after
 * @param total the number of items
 * @param eventId the event id
 * @param occurredAt when the resume was recorded
 */
public record BatchResumed(String batchId, int index, int total, String eventId,
		Instant occurredAt) implements BatchEvent {

	/** The wire type name. */
	public static final String TYPE = "veo3:batch:upscale:resumed";

	@Override
	public String type() {
		return TYPE;
	}

}
