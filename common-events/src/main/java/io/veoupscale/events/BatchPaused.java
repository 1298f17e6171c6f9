package io.veoupscale.events;

import java.time.Instant;

/**
 * {@code veo3:batch:upscale:paused}: an operator paused a batch: no item of it starts
 * until it is resumed.
 *
 * @param batchId the batch id
 * @param index how many of its items had ended (started or failed) at that moment; the
 * next item to start is the one after
 * @param total the number of items
 * @param eventId the event id
 * @param occurredAt when the pause was recorded
 */
public record BatchPaused(String batchId, int index, int total, String eventId,
		Instant occurredAt) implements BatchEvent {

	/** The wire type name. */
	public static final String TYPE = "veo3:batch:upscale:paused";

	@Override
	public String type() {
		return TYPE;
	}

}
