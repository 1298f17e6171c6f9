package io.veoupscale.flow;

/**
 * Flow's operation states, as its own front-end code names them. Anything Flow reports
 * that is not known here is {@link #UNKNOWN} and must be treated as still running, never
 * as success.
 */
public enum MediaGenerationStatus {

	/** Queued at Flow. */
	PENDING,

	/** Accepted and waiting for its turn at Flow. */
	SCHEDULED,

	/** Running. */
	IN_PROGRESS,

	/** Running. */
	ACTIVE,

	/** Finished with a video. */
	SUCCESSFUL,

	/** Finished with a video (the spelling some answers use). */
	COMPLETE,

	/** Finished without a video. */
	FAILED,

	/** Cancelled at Flow ({@code MEDIA_GENERATION_STATUS_CANCELED}, one L). */
	CANCELED,

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
			if (name.equals("CANCELLED")) {
				return CANCELED;
			}
			for (MediaGenerationStatus status : values()) {
				if (status != UNKNOWN && status.name().equals(name)) {
					return status;
				}
			}
		}
		return UNKNOWN;
	}

	/**
	 * Whether the operation finished with a video.
	 * @return true for successful and complete
	 */
	public boolean isSuccess() {
		return this == SUCCESSFUL || this == COMPLETE;
	}

	/**
	 * Whether the operation has ended.
	 * @return true for successful, complete, failed and canceled
	 */
	public boolean isFinal() {
		return isSuccess() || this == FAILED || this == CANCELED;
	}

	/**
	 * Whether Flow reports the operation generating (rather than queued).
	 * @return true for in progress and active
	 */
	public boolean isGenerating() {
		return this == IN_PROGRESS || this == ACTIVE;
	}

	/**
	 * Whether Flow knows the operation: any status it reports but one this client cannot
	 * read.
	 * @return false for {@link #UNKNOWN}
	 */
	public boolean isKnown() {
		return this != UNKNOWN;
	}

}
