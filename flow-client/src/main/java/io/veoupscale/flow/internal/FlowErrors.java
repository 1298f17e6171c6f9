package io.veoupscale.flow.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

import io.veoupscale.flow.FlowAlreadyExistsException;
import io.veoupscale.flow.FlowConcurrentLimitException;
import io.veoupscale.flow.FlowException;
import io.veoupscale.flow.FlowOutcomeUnknownException;
import io.veoupscale.flow.FlowQuotaException;
import io.veoupscale.flow.FlowRefusedException;
import io.veoupscale.flow.FlowThrottledException;
import io.veoupscale.flow.FlowUnavailableException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.ResourceAccessException;

/**
 * Turns Flow's answers into the error types of flow-api.md's table: the Google RPC
 * envelope's status and {@code ErrorInfo.reason}, the HTTP status, Retry-After, and I/O
 * failures.
 */
final class FlowErrors {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * The detail type naming the resource an error is about (google.rpc.ResourceInfo).
	 */
	private static final String RESOURCE_INFO = "google.rpc.ResourceInfo";

	private FlowErrors() {
	}

	static FlowException fromResponse(ClientHttpResponse response) throws IOException {
		int status = response.getStatusCode().value();
		RpcError rpc = readRpcError(response.getBody());
		String reason = (rpc.reason() != null) ? rpc.reason()
				: (rpc.status() != null) ? rpc.status() : "HTTP " + status;
		String message = "Flow answered " + status + " " + reason
				+ ((rpc.message() != null) ? ": " + rpc.message() : "");
		String upper = (reason + " " + ((rpc.message() != null) ? rpc.message() : "")).toUpperCase(Locale.ROOT);
		if (status == 401) {
			return new FlowUnauthenticatedException(reason, message);
		}
		if (status == 409) {
			return new FlowAlreadyExistsException(reason, message, rpc.resourceName());
		}
		String upperReason = reason.toUpperCase(Locale.ROOT);
		if (upperReason.contains("QUOTA_REACHED")) {
			return new FlowQuotaException(reason, status, message, upperReason.contains("PER_MODEL"));
		}
		if (upperReason.contains("CONCURRENT_LIMIT")) {
			return new FlowConcurrentLimitException(reason, status, message);
		}
		if (upperReason.contains("HIGH_TRAFFIC") || upperReason.contains("MODEL_OVERLOADED")
				|| upperReason.contains("DUE_TO_TRAFFIC")) {
			return new FlowUnavailableException(reason, status, message, null);
		}
		if (status == 429 && !upper.contains("QUOTA")) {
			return new FlowThrottledException(reason, status, message, retryAfter(response.getHeaders()));
		}
		if (status == 403 && (upper.contains("UNUSUAL_ACTIVITY") || upper.contains("RECAPTCHA"))) {
			return new FlowThrottledException(reason, status, message, retryAfter(response.getHeaders()));
		}
		if (status >= 500) {
			return new FlowUnavailableException(reason, status, message, null);
		}
		return new FlowRefusedException(reason, status, message);
	}

	static FlowException fromIo(ResourceAccessException ex, boolean requestMayHaveTakenEffect) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		boolean notSent = cause instanceof ConnectException || cause instanceof ConnectTimeoutException
				|| cause instanceof ConnectionRequestTimeoutException || cause instanceof UnknownHostException;
		if (notSent || !requestMayHaveTakenEffect) {
			return new FlowUnavailableException("unreachable", 0, "Flow could not be reached: " + cause, ex);
		}
		return new FlowOutcomeUnknownException("Flow did not answer: " + cause, ex);
	}

	private static RpcError readRpcError(InputStream body) {
		try {
			JsonNode error = JSON.readTree(body).path("error");
			String reason = null;
			String resourceName = null;
			for (JsonNode detail : error.path("details")) {
				if (reason == null && detail.hasNonNull("reason")) {
					reason = detail.get("reason").asString();
				}
				if (resourceName == null && detail.path("@type").asString("").endsWith(RESOURCE_INFO)) {
					resourceName = text(detail, "resourceName");
				}
			}
			return new RpcError(text(error, "status"), reason, text(error, "message"), resourceName);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			return new RpcError(null, null, null, null);
		}
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private static @Nullable Duration retryAfter(HttpHeaders headers) {
		String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
		if (value == null) {
			return null;
		}
		try {
			return Duration.ofSeconds(Long.parseLong(value.trim()));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private record RpcError(@Nullable String status, @Nullable String reason, @Nullable String message,
			@Nullable String resourceName) {
	}

	/**
	 * A 401 on the video API: the access token expired; refreshed once, then a refusal.
	 */
	static final class FlowUnauthenticatedException extends FlowRefusedException {

		FlowUnauthenticatedException(String reason, String message) {
			super(reason, 401, message);
		}

	}

}
