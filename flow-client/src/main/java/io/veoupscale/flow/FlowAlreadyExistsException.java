package io.veoupscale.flow;

import org.jspecify.annotations.Nullable;

/**
 * Flow already runs an upscale for this request (409 ALREADY_EXISTS) and did not name its
 * operation, so it cannot be tracked from here. When Flow names the operation (a
 * {@code ResourceInfo} detail), the start counts as initiated instead and no exception is
 * raised.
 */
public class FlowAlreadyExistsException extends FlowException {

	private final @Nullable String operationName;

	public FlowAlreadyExistsException(String reason, String message, @Nullable String operationName) {
		super(reason, 409, message, null);
		this.operationName = operationName;
	}

	/**
	 * The operation already running, when Flow named it.
	 * @return the operation name, or null
	 */
	public @Nullable String operationName() {
		return this.operationName;
	}

}
