package io.veoupscale.simulator;

import java.util.Optional;

/** The media generation statuses the simulator reports, with their wire names. */
enum GenerationStatus {

	PENDING, SCHEDULED, IN_PROGRESS, ACTIVE, SUCCESSFUL, COMPLETE, FAILED,

	/** Spelt with one L, as Flow does. */
	CANCELED,

	/** Answered for a name the simulator never issued; clients must keep waiting. */
	UNKNOWN_SIM;

	private static final String PREFIX = "MEDIA_GENERATION_STATUS_";

	String wireName() {
		return PREFIX + name();
	}

	/**
	 * Whether an operation in this status is still running and so counts against an
	 * account's concurrent jobs.
	 */
	boolean isRunning() {
		return this == PENDING || this == SCHEDULED || this == IN_PROGRESS || this == ACTIVE;
	}

	/** Whether an operation in this status has a video. */
	boolean isSuccess() {
		return this == SUCCESSFUL || this == COMPLETE;
	}

	/**
	 * Reads a status as the admin API takes it: the wire name or the bare name.
	 */
	static Optional<GenerationStatus> of(String text) {
		String name = text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text;
		for (GenerationStatus status : values()) {
			if (status != UNKNOWN_SIM && status.name().equals(name)) {
				return Optional.of(status);
			}
		}
		return Optional.empty();
	}

}
