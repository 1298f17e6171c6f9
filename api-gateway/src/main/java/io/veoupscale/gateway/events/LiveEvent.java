package io.veoupscale.gateway.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An event as it came off the events topic: its event-log sequence (the SSE id), batch,
 * type and JSON payload exactly as published.
 *
 * @param seq the event-log sequence, {@code null} if the producer sent none
 * @param batchId the batch (the record key)
 * @param type the event type, such as {@code veo3:batch:upscale:progress}
 * @param payload the JSON payload
 * @param occurredAt when the event happened, if known (for the event's end-to-end lag)
 */
public record LiveEvent(@Nullable Long seq, String batchId, String type, String payload, @Nullable Instant occurredAt) {

	/**
	 * An event whose time is not known.
	 * @param seq the event-log sequence, {@code null} if the producer sent none
	 * @param batchId the batch (the record key)
	 * @param type the event type
	 * @param payload the JSON payload
	 */
	public LiveEvent(@Nullable Long seq, String batchId, String type, String payload) {
		this(seq, batchId, type, payload, null);
	}

}
