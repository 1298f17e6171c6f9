package io.veoupscale.worker.batch;

/**
 * An operator paused or cancelled the batch: no more of its items start here. Its steps
 * stop as after a lost lease, and its lease is given back once its writes are done, so
 * that a resumed batch is claimed again at once.
 */
final class BatchHeldException extends LeaseLostException {

	BatchHeldException(String batchId, String control) {
		super("Batch " + batchId + " is " + control + " by an operator", true);
	}

}
