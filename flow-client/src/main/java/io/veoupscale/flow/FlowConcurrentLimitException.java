package io.veoupscale.flow;

/**
 * Flow refused a start because the account runs as many jobs as it may
 * ({@code ..._CONCURRENT_LIMIT_REACHED}): the start did not take effect and may be sent
 * again once a running job has finished. Not an error of the item.
 */
public class FlowConcurrentLimitException extends FlowException {

	public FlowConcurrentLimitException(String reason, int httpStatus, String message) {
		super(reason, httpStatus, message, null);
	}

}
