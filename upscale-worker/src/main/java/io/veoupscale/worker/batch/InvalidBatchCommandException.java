package io.veoupscale.worker.batch;

/**
 * A record on the command topic that is not a valid command, or names no known batch; it
 * goes to the dead-letter topic with this message, and is never retried.
 */
public class InvalidBatchCommandException extends RuntimeException {

	InvalidBatchCommandException(String message) {
		super(message);
	}

}
