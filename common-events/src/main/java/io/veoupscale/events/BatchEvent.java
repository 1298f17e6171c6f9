package io.veoupscale.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An event on the batch-events topic. The {@code type} property on the wire names the
 * event with the seed's event names; Java class names never appear.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = BatchStarted.class, name = BatchStarted.TYPE),
		@JsonSubTypes.Type(value = ItemProgressed.class, name = ItemProgressed.TYPE),
		@JsonSubTypes.Type(value = BatchCompleted.class, name = BatchCompleted.TYPE),
		@JsonSubTypes.Type(value = UpscaleFinished.class, name = UpscaleFinished.TYPE),
		@JsonSubTypes.Type(value = BatchPaused.class, name = BatchPaused.TYPE),
		@JsonSubTypes.Type(value = BatchResumed.class, name = BatchResumed.TYPE) })
public sealed interface BatchEvent
		permits BatchStarted, ItemProgressed, BatchCompleted, UpscaleFinished, BatchPaused, BatchResumed {

	/**
	 * The batch this event belongs to; also the record key.
	 * @return the batch id
	 */
	String batchId();

	/**
	 * A unique id of this event, for consumers that deduplicate.
	 * @return the event id
	 */
	String eventId();

	/**
	 * When the event happened.
	 * @return the instant
	 */
	Instant occurredAt();

	/**
	 * The event type as it appears on the wire and in SSE frames.
	 * @return the type name
	 */
	@JsonIgnore
	String type();

}
