package io.veoupscale.flow;

/**
 * Flow already runs an upscale for this request (409 ALREADY_EXISTS): it was initiated
 * earlier.
 */
public class FlowAlreadyExistsException extends FlowException {

	public FlowAlreadyExistsException(String reason, String message) {
		super(reason, 409, message, null);
	}

}
