package io.veoupscale.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import tools.jackson.databind.annotation.JsonAppend;

/**
 * An event on the batch-events topic. The {@code type} property on the wire names the
 * event with the seed's event names; Java class names never appear. The
 * {@value #TRACE_ID} property, the W3C trace id of the batch's trace, is added by the
 * writer that knows it ({@link UpscaleJson#writeEvent}) rather than held by every event.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = BatchStarted.class, name = BatchStarted.TYPE),
		@JsonSubTypes.Type(value = ItemProgressed.class, name = ItemProgressed.TYPE),
		@JsonSubTypes.Type(value = BatchCompleted.class, name = BatchCompleted.TYPE),
		@JsonSubTypes.Type(value = UpscaleFinished.class, name = UpscaleFinished.TYPE),
		@JsonSubTypes.Type(value = BatchPaused.class, name = BatchPaused.TYPE),
		@JsonSubTypes.Type(value = BatchResumed.class, name = BatchResumed.TYPE) })
@JsonAppend(attrs = @JsonAppend.Attr(BatchEvent.TRACE_ID))
public sealed interface BatchEvent
		permits BatchStarted, ItemProgressed, BatchCompleted, UpscaleFinished, BatchPaused, BatchResumed {

	/** The JSON property holding the trace id of the batch's trace (32 lowercase hex). */
	String TRACE_ID = "traceId";

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
