package io.veoupscale.events;

/**
 * Default topic names. Services read the names from configuration
 * ({@code upscale.topics.*}) and fall back to these.
 */
public final class Topics {

	/** Batch requests, keyed by batchId. */
	public static final String BATCH_REQUESTS = "veo3.upscale.batch-requests";

	/** Batch and upscale events, keyed by batchId. */
	public static final String BATCH_EVENTS = "veo3.upscale.batch-events";

	/** One record per initiated upscale, keyed by upscaleId. */
	public static final String OPERATIONS = "veo3.upscale.operations";

	/** Commands on batches (cancel, pause, resume), keyed by batchId. */
	public static final String BATCH_COMMANDS = "veo3.upscale.batch-commands";

	private Topics() {
	}

}
