package io.veoupscale.flow;

import org.jspecify.annotations.Nullable;

/**
 * Flow could not be reached or failed transiently, and the request did not take effect:
 * safe to retry with back-off.
 */
public class FlowUnavailableException extends FlowException {

	public FlowUnavailableException(String reason, int httpStatus, String message, @Nullable Throwable cause) {
		super(reason, httpStatus, message, cause);
	}

}
