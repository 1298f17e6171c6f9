package io.veoupscale.gateway.events;

import org.jspecify.annotations.Nullable;

/**
 * An event as it came off the events topic: its event-log sequence (the SSE id), batch,
 * type and JSON payload exactly as published.
 *
 * @param seq the event-log sequence, {@code null} if the producer sent none
 * @param batchId the batch (the record key)
 * @param type the event type, such as {@code veo3:batch:upscale:progress}
 * @param payload the JSON payload
 */
public record LiveEvent(@Nullable Long seq, String batchId, String type, String payload) {

}
