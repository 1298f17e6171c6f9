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

	private final @Nullable String resourceName;

	RpcException(int httpStatus, String rpcStatus, String message, @Nullable String reason,
			@Nullable Duration retryAfter) {
		this(httpStatus, rpcStatus, message, reason, retryAfter, null);
	}

	private RpcException(int httpStatus, String rpcStatus, String message, @Nullable String reason,
			@Nullable Duration retryAfter, @Nullable String resourceName) {
		super(message);
		this.httpStatus = httpStatus;
		this.rpcStatus = rpcStatus;
		this.reason = reason;
		this.retryAfter = retryAfter;
		this.resourceName = resourceName;
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

	/**
	 * A start for a scene that already has an operation: 409 with, as Google APIs do for
	 * ALREADY_EXISTS, a {@code ResourceInfo} naming the existing operation when there is
	 * one.
	 * @param sceneId the scene
	 * @param operationName its existing operation, or null when the scene came twice in
	 * one call
	 * @return the error
	 */
	static RpcException generationInProgress(String sceneId, @Nullable String operationName) {
		return new RpcException(409, "ALREADY_EXISTS", "A generation for scene " + sceneId + " is already in progress",
				"PUBLIC_ERROR_GENERATION_ALREADY_IN_PROGRESS", null, operationName);
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

	@Nullable String resourceName() {
		return this.resourceName;
	}

}
