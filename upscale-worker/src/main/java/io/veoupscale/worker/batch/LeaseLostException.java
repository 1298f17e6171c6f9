package io.veoupscale.worker.batch;

/**
 * Another instance holds the batch now: this one must stop working on it at once.
 */
class LeaseLostException extends RuntimeException {

	LeaseLostException(String batchId) {
		super("The lease on batch " + batchId + " passed to another instance");
	}

	LeaseLostException(String message, boolean held) {
		super(message);
	}

}
