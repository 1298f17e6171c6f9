package io.veoupscale.flow;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Flow throttled the profile: nothing of that profile should be sent until the pause is
 * over.
 */
public class FlowThrottledException extends FlowException {

	private final @Nullable Duration retryAfter;

	public FlowThrottledException(String reason, int httpStatus, String message, @Nullable Duration retryAfter) {
		super(reason, httpStatus, message, null);
		this.retryAfter = retryAfter;
	}

	/**
	 * How long Flow asked to wait, if it said.
	 * @return the Retry-After duration
	 */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

}
