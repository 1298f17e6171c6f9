package io.veoupscale.simulator;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A Flow error answer, raised where the decision is made and rendered as a Google RPC
 * envelope by {@link RpcErrorHandler}.
 */
class RpcException extends RuntimeException {

	private final int httpStatus;

	private final String rpcStatus;

	private final @Nullable String reason;

	private final @Nullable Duration retryAfter;

	RpcException(int httpStatus, String rpcStatus, String message, @Nullable String reason,
			@Nullable Duration retryAfter) {
		super(message);
		this.httpStatus = httpStatus;
		this.rpcStatus = rpcStatus;
		this.reason = reason;
		this.retryAfter = retryAfter;
	}

	static RpcException invalidArgument(String message) {
		return new RpcException(400, "INVALID_ARGUMENT", message, null, null);
	}

	static RpcException unauthenticated() {
		return new RpcException(401, "UNAUTHENTICATED",
				"Request had invalid authentication credentials. Expected OAuth 2 access token.", null, null);
	}

	static RpcException notFound(String message) {
		return new RpcException(404, "NOT_FOUND", message, null, null);
	}

	static RpcException generationInProgress(String sceneId) {
		return new RpcException(409, "ALREADY_EXISTS", "A generation for scene " + sceneId + " is already in progress",
				"PUBLIC_ERROR_GENERATION_ALREADY_IN_PROGRESS", null);
	}

	int httpStatus() {
		return this.httpStatus;
	}

	String rpcStatus() {
		return this.rpcStatus;
	}

	@Nullable String reason() {
		return this.reason;
	}

	@Nullable Duration retryAfter() {
		return this.retryAfter;
	}

}
