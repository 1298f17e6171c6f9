package io.veoupscale.flow;

import org.jspecify.annotations.Nullable;

/**
 * A failed call to Flow. The subclass says what the caller may do: retry later, pause the
 * profile, treat as initiated, or give up.
 */
public abstract class FlowException extends RuntimeException {

	private final String reason;

	private final int httpStatus;

	protected FlowException(String reason, int httpStatus, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.reason = reason;
		this.httpStatus = httpStatus;
	}

	/**
	 * The short reason for users: the RPC reason (e.g.
	 * {@code PUBLIC_ERROR_USER_QUOTA_REACHED}) or the HTTP status.
	 * @return the reason
	 */
	public String reason() {
		return this.reason;
	}

	/**
	 * The HTTP status, or 0 when there was no response.
	 * @return the status
	 */
	public int httpStatus() {
		return this.httpStatus;
	}

}
