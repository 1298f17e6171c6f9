package io.veoupscale.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

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
 * in {@code failureCount} too); 0 for a batch that ran to its end, and then left out of
 * the JSON, so that the seed's payload is unchanged
 */
public record BatchCompleted(String batchId, int successCount, int failureCount, int total, String eventId,
		Instant occurredAt, @JsonInclude(JsonInclude.Include.NON_DEFAULT) int cancelledCount) implements BatchEvent {

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

	/**
	 * Reads the event from JSON, where {@code cancelledCount} is absent in events written
	 * before batch control.
	 * @param batchId the batch id
	 * @param successCount items initiated upstream
	 * @param failureCount items that failed
	 * @param total the number of items
	 * @param eventId the event id
	 * @param occurredAt when the last item finished
	 * @param cancelledCount items cancelled, or null when absent
	 * @return the event
	 */
	@JsonCreator
	public static BatchCompleted fromJson(@JsonProperty("batchId") String batchId,
			@JsonProperty("successCount") int successCount, @JsonProperty("failureCount") int failureCount,
			@JsonProperty("total") int total, @JsonProperty("eventId") String eventId,
			@JsonProperty("occurredAt") Instant occurredAt,
			@JsonProperty("cancelledCount") @Nullable Integer cancelledCount) {
		return new BatchCompleted(batchId, successCount, failureCount, total, eventId, occurredAt,
				(cancelledCount != null) ? cancelledCount : 0);
	}

	@Override
	public String type() {
		return TYPE;
	}

}
