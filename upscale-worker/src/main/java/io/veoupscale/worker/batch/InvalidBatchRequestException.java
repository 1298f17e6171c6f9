package io.veoupscale.worker.batch;

/**
 * A record on the requests topic that is not a valid batch request; it goes to the
 * dead-letter topic with this message, and is never retried.
 */
public class InvalidBatchRequestException extends RuntimeException {

	InvalidBatchRequestException(String message) {
		super(message);
	}

}
