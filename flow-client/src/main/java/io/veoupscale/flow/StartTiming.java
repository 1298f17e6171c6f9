package io.veoupscale.flow;

/**
 * What a caller that paces its starts does at the two moments of a start on the wire.
 */
public interface StartTiming {

	/**
	 * Does nothing at either moment.
	 */
	StartTiming NONE = new StartTiming() {

		@Override
		public void beforeSend() {
		}

		@Override
		public void answered() {
		}

	};

	/**
	 * Runs once, at the last moment before the request goes out, when the body is ready
	 * and the token fetched: a caller waits for its turn here, so that no client-side
	 * work sits between its turn and the wire. An exception cancels the call.
	 */
	void beforeSend();

	/**
	 * Runs the moment an answer of any status has arrived, before its body is read: by
	 * then the request certainly reached Flow.
	 */
	void answered();

}
