package io.veoupscale.gateway.batch;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The answer of the sync endpoint: the seed's envelope with the item results in request
 * order, plus the batch id and whether every item was initiated before the sync timeout.
 *
 * @param success always {@code true}: the batch was accepted
 * @param data one result per item, in request order
 * @param batchId the batch id, to follow the batch after an incomplete answer
 * @param complete whether every item was initiated (or failed) before the timeout
 * @param message what an incomplete answer means
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "SyncBatchResponse")
record SyncAnswer(boolean success, List<SyncItemResult> data, String batchId, boolean complete,
		@Nullable String message) {

	static SyncAnswer of(String batchId, List<SyncItemResult> results) {
		boolean complete = results.stream().noneMatch((result) -> Boolean.TRUE.equals(result.pending()));
		return new SyncAnswer(true, results, batchId, complete,
				complete ? null
						: "Incomplete: not every item was initiated within the sync timeout; the batch goes "
								+ "on in the background. Follow it with GET /api/v1/upscale-batches/" + batchId
								+ " or GET /api/v1/events?batchId=" + batchId);
	}

}
