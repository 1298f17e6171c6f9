package io.veoupscale.simulator;

/**
 * Signals that the current call must end with the connection closed and no response, as a
 * {@code disconnect} fault asks.
 */
class ConnectionDrop extends RuntimeException {

	ConnectionDrop() {
		super("Simulated disconnect", null, false, false);
	}

}
