package io.veoupscale.simulator;

/** The media generation statuses the simulator reports, with their wire names. */
enum GenerationStatus {

	PENDING, ACTIVE, SUCCESSFUL, FAILED,

	/** Answered for a name the simulator never issued; clients must keep waiting. */
	UNKNOWN_SIM;

	String wireName() {
		return "MEDIA_GENERATION_STATUS_" + name();
	}

}
