package io.veoupscale.gateway.batch;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.store.batch.BatchControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Retries a batch's failures: a new batch of the failed items' sources, with the same
 * models and delay, submitted as the async endpoint submits one, and linked both ways.
 */
@Service
class BatchRetries {

	private static final Logger logger = LoggerFactory.getLogger(BatchRetries.class);

	/** Every failed item. */
	static final String ALL = "all";

	/** Items Flow refused, or whose upscale failed at Flow. */
	static final String UPSTREAM = "upstream";

	/** Items that failed this system's checks before any call to Flow. */
	static final String VALIDATION = "validation";

	private static final String UPSTREAM_PREFIX = "Upscale request failed: ";

	private final BatchQueries queries;

	private final BatchSubmissions submissions;

	private final Clock clock;

	BatchRetries(BatchQueries queries, BatchSubmissions submissions, Clock clock) {
		this.queries = queries;
		this.submissions = submissions;
		this.clock = clock;
	}

	/**
	 * Starts a batch of the failed items of the given kind.
	 * @param only {@link #ALL}, {@link #UPSTREAM} or {@link #VALIDATION}
	 * @return the answer of the async endpoint for the new batch
	 * @throws ApiException 404 for an unknown batch, 409 if no item failed (or the batch
	 * is still queued)
	 */
	BatchSubmissions.Answer retry(String batchId, String only) {
		BatchView batch = this.queries.summary(batchId)
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Batch " + batchId + " not found"));
		if (!this.queries.stored(batchId)) {
			throw new ApiException(HttpStatus.CONFLICT,
					"Batch " + batchId + " is queued and no item of it has failed yet; nothing to retry");
		}
		List<UpscaleRequest> requests = this.queries.failedItems(batchId)
			.stream()
			.filter((item) -> matches(item, only))
			.map((item) -> new UpscaleRequest(item.sourceGenerationId(), item.model()))
			.toList();
		if (requests.isEmpty()) {
			throw new ApiException(HttpStatus.CONFLICT, "Batch " + batchId + " has no failed items"
					+ (ALL.equals(only) ? "" : " of kind " + only) + " to retry");
		}
		BatchSubmissions.Answer answer = this.submissions
			.submit(new BatchSubmission(requests, batch.delayMs()), BatchSubmissions.Mode.ASYNC, null)
			.join();
		String retryId = UpscaleJson.mapper().readTree(answer.body()).path("data").path("batchId").asString();
		this.queries.recordRetry(retryId, batchId, only, this.clock.instant());
		logger.info("batch {}: {} failed item(s) ({}) retried as batch {}", batchId, requests.size(), only, retryId);
		return answer;
	}

	/**
	 * Reads the kind of failures to retry.
	 * @return the kind
	 * @throws ApiException 400 if the text names none
	 */
	static String kind(String text) {
		String kind = text.toLowerCase(Locale.ROOT);
		if (!List.of(ALL, UPSTREAM, VALIDATION).contains(kind)) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "only must be one of upstream, validation, all");
		}
		return kind;
	}

	private static boolean matches(BatchQueries.FailedItem item, String only) {
		boolean cancelled = BatchControl.CANCELLED_ERROR.equals(item.error());
		boolean upstream = item.upscaleFailed() || (item.error() != null && item.error().startsWith(UPSTREAM_PREFIX));
		return switch (only) {
			case UPSTREAM -> upstream;
			case VALIDATION -> !upstream && !cancelled;
			default -> true;
		};
	}

}
