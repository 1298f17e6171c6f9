package io.veoupscale.events;

import java.time.Instant;
import java.util.List;

/**
 * {@code veo3:batch:upscale:started}: a batch was accepted and its processing begins.
 *
 * @param batchId the batch id
 * @param total the number of items
 * @param sourceGenerationIds the items' source video ids, in order
 * @param eventId the event id
 * @param occurredAt when the batch started
 */
public record BatchStarted(String batchId, int total, List<String> sourceGenerationIds, String eventId,
		Instant occurredAt) implements BatchEvent {

	/** The wire type name. */
	public static final String TYPE = "veo3:batch:upscale:started";

	@Override
	public String type() {
		return TYPE;
	}

}
