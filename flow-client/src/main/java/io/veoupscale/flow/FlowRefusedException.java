package io.veoupscale.flow;

/**
 * Flow refused the request for a reason a retry will not change: quota, model access,
 * content, invalid input, a dead session.
 */
public class FlowRefusedException extends FlowException {

	public FlowRefusedException(String reason, int httpStatus, String message) {
		super(reason, httpStatus, message, null);
	}

}
