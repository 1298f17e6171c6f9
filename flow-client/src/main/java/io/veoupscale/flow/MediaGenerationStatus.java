package io.veoupscale.flow;

/**
 * Flow's operation states. Anything Flow reports that is not known here is
 * {@link #UNKNOWN} and must be treated as still running, never as success.
 */
public enum MediaGenerationStatus {

	/** Queued at Flow. */
	PENDING,

	/** Running. */
	ACTIVE,

	/** Finished with a video. */
	SUCCESSFUL,

	/** Finished without a video. */
	FAILED,

	/** Cancelled at Flow. */
	CANCELLED,

	/** Not a status this client knows. */
	UNKNOWN;

	private static final String PREFIX = "MEDIA_GENERATION_STATUS_";

	/**
	 * Reads Flow's status text.
	 * @param text e.g. {@code MEDIA_GENERATION_STATUS_ACTIVE}
	 * @return the status, {@link #UNKNOWN} when not recognised
	 */
	public static MediaGenerationStatus of(String text) {
		if (text.startsWith(PREFIX)) {
			String name = text.substring(PREFIX.length());
			for (MediaGenerationStatus status : values()) {
				if (status != UNKNOWN && status.name().equals(name)) {
					return status;
				}
			}
		}
		return UNKNOWN;
	}

	/**
	 * Whether the operation has ended.
	 * @return true for successful, failed and cancelled
	 */
	public boolean isFinal() {
		return this == SUCCESSFUL || this == FAILED || this == CANCELLED;
	}

}
