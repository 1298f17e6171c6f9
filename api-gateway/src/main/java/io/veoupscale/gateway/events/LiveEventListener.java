package io.veoupscale.gateway.events;

/**
 * Receives every event of the events topic that reaches this instance, on the consumer's
 * thread: implementations return quickly.
 */
public interface LiveEventListener {

	/**
	 * Handles one event.
	 * @param event the event
	 */
	void onEvent(LiveEvent event);

}
