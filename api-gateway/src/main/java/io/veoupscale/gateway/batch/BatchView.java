package io.veoupscale.gateway.batch;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A batch as {@code GET /api/v1/upscale-batches/{batchId}} shows it, so that a page that
 * was refreshed can rebuild its progress.
 *
 * @param batchId the batch id
 * @param status {@code queued}, {@code running} or {@code completed}; with batch control
 * also {@code paused}, {@code cancelling} (its unstarted items failed, a start in flight
 * ends first) or {@code cancelled} (completed by a cancel)
 * @param total the number of items
 * @param successCount items initiated upstream
 * @param failureCount items that failed
 * @param pendingCount items not finished yet
 * @param delayMs least time between two upstream starts
 * @param requestedAt when the batch was requested
 * @param acceptedAt when Kafka acknowledged the batch this gateway published; absent for
 * a batch produced straight to Kafka
 * @param receivedAt when a worker received it; absent while the batch is queued in Kafka
 * @param startedAt when a worker began processing it
 * @param completedAt when its last item finished
 * @param items the items in request order; absent in a list of batches
 * @param cancelledCount items that never started because the batch was cancelled
 * (cancelled batches only)
 * @param controlAt when an operator last paused, resumed or cancelled the batch
 * @param retryOf the batch whose failed items this batch retries
 * @param retriedBy the batches that retry this batch's failed items, oldest first
 * @param traceId the W3C trace id (32 lowercase hex) of the batch's trace: the request
 * that submitted it, its starts and every one of its events
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Batch")
record BatchView(String batchId, @Schema(allowableValues = {
		"queued", "running", "completed", "paused", "cancelling", "cancelled" }) String status, int total,
		int successCount, int failureCount, int pendingCount, int delayMs, Instant requestedAt,
		@Nullable Instant acceptedAt, @Nullable Instant receivedAt, @Nullable Instant startedAt,
		@Nullable Instant completedAt, @Nullable List<Item> items, @Nullable Integer cancelledCount,
		@Nullable Instant controlAt, @Nullable String retryOf, @Nullable List<String> retriedBy,
		@Nullable String traceId){

	/**
	 * A batch that this gateway handed to Kafka and no worker has received yet.
	 */
	static BatchView queued(String batchId, int total, int delayMs, Instant requestedAt, Instant acceptedAt,
			List<Item> items, @Nullable String traceId) {
		return new BatchView(batchId, "queued", total, 0, 0, total, delayMs, requestedAt, acceptedAt, null, null, null,
				items, null, null, null, null, traceId);
	}

	BatchView withItems(@Nullable List<Item> items) {
		return new BatchView(this.batchId, this.status, this.total, this.successCount, this.failureCount,
				this.pendingCount, this.delayMs, this.requestedAt, this.acceptedAt, this.receivedAt, this.startedAt,
				this.completedAt, items, this.cancelledCount, this.controlAt, this.retryOf, this.retriedBy,
				this.traceId);
	}

	BatchView withRetries(@Nullable String retryOf, List<String> retriedBy) {
		return new BatchView(this.batchId, this.status, this.total, this.successCount, this.failureCount,
				this.pendingCount, this.delayMs, this.requestedAt, this.acceptedAt, this.receivedAt, this.startedAt,
				this.completedAt, this.items, this.cancelledCount, this.controlAt, retryOf,
				retriedBy.isEmpty() ? null : retriedBy, this.traceId);
	}

	/**
	 * One item of a batch.
	 *
	 * @param index the 1-based position in the batch
	 * @param sourceGenerationId the source video
	 * @param model the upsampler model
	 * @param status {@code pending}, {@code starting}, {@code started} or {@code failed};
	 * absent while no worker has received the batch
	 * @param success whether it was initiated; absent while it is not finished
	 * @param error why it failed to start
	 * @param upscaleId the upscale it started
	 * @param sceneId the scene id sent upstream
	 * @param operationName the upstream operation
	 * @param upscaleStatus the upscale's status: {@code pending}, {@code processing},
	 * {@code completed} or {@code failed}
	 * @param videoUrl the upscaled video, once completed
	 * @param upscaleError why the upscale failed at Flow
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@Schema(name = "BatchItem")
	record Item(int index, String sourceGenerationId, String model, @Schema(allowableValues = {
			"pending", "starting", "started", "failed" }) @Nullable String status, @Nullable Boolean success,
			@Nullable String error, @Nullable String upscaleId, @Nullable String sceneId,
			@Nullable String operationName,
			@Schema(allowableValues = { "pending", "processing", "completed",
					"failed" }) @Nullable String upscaleStatus,
			@Nullable String videoUrl, @Nullable String upscaleError){

		/**
		 * An item of a batch that no worker has received yet: only what was requested.
		 */
		static Item queued(int index, String sourceGenerationId, String model) {
			return new Item(index, sourceGenerationId, model, null, null, null, null, null, null, null, null, null);
		}

	}

}
