package io.veoupscale.store.outbox;

/**
 * The partition of an outbox message: a function of its key and the topic's partition
 * count that this project owns, so that every message of one key (a batch's events, an
 * upscale's record) goes to one partition, in order, and a relay that restarts can tell
 * where a message it may have sent went, without relying on the producer's internals.
 */
public final class OutboxPartitions {

	private OutboxPartitions() {
	}

	/**
	 * The partition of a key.
	 * @param key the record key
	 * @param partitions the topic's partition count
	 * @return a partition from 0 to {@code partitions - 1}; the same for the same key and
	 * count in every JVM ({@link String#hashCode()} is specified by the language)
	 */
	public static int of(String key, int partitions) {
		return Math.floorMod(key.hashCode(), partitions);
	}

}
