package io.veoupscale.gateway.batch;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The answer of the async endpoint: the seed's envelope around the new batch's id and
 * size.
 *
 * @param success always {@code true}
 * @param data the batch id and its number of items
 */
@Schema(name = "BatchAcceptedResponse", example = """
		{"success":true,"data":{"batchId":"abc123def456","total":2}}""")
record AcceptedAnswer(boolean success, BatchAccepted data) {

	AcceptedAnswer(BatchAccepted data) {
		this(true, data);
	}

}
