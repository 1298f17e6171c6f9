package io.veoupscale.flow;

/**
 * The request was sent but no answer came (timeout, connection lost): Flow may or may not
 * have acted on it. A start must not be blindly resubmitted.
 */
public class FlowOutcomeUnknownException extends FlowException {

	public FlowOutcomeUnknownException(String message, Throwable cause) {
		super("no response", 0, message, cause);
	}

}
