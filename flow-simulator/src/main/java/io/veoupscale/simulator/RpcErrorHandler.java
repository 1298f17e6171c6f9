package io.veoupscale.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Renders every error the simulator answers with in Flow's Google RPC envelope, and hands
 * dropped connections to the {@link DisconnectValve}.
 */
@RestControllerAdvice
class RpcErrorHandler {

	@ExceptionHandler
	ResponseEntity<Envelope> rpcError(RpcException ex) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.httpStatus())
			.contentType(MediaType.APPLICATION_JSON);
		if (ex.retryAfter() != null) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfter().toSeconds()));
		}
		return response.body(Envelope.of(ex));
	}

	@ExceptionHandler
	ResponseEntity<Envelope> unreadableBody(HttpMessageNotReadableException ex) {
		return rpcError(
				RpcException.invalidArgument("Invalid JSON payload: " + ex.getMostSpecificCause().getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<Envelope> missingParameter(MissingServletRequestParameterException ex) {
		return rpcError(RpcException.invalidArgument(ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<Envelope> invalidBody(MethodArgumentNotValidException ex) {
		String message = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> error.getField() + " " + error.getDefaultMessage())
			.collect(Collectors.joining(", "));
		return rpcError(RpcException.invalidArgument(message));
	}

	@ExceptionHandler
	void dropConnection(ConnectionDrop drop, HttpServletRequest request) {
		// Nothing is written; the valve closes the socket once the servlet returns.
		request.setAttribute(DisconnectValve.DROP_ATTRIBUTE, Boolean.TRUE);
	}

	/** {@code {"error":{...}}}. */
	record Envelope(Status error) {

		static Envelope of(RpcException ex) {
			List<Object> details = new ArrayList<>();
			if (ex.reason() != null) {
				details.add(new ErrorInfo(ErrorInfo.TYPE, ex.reason()));
			}
			if (ex.resourceName() != null) {
				details.add(new ResourceInfo(ResourceInfo.TYPE, "operation", ex.resourceName()));
			}
			return new Envelope(new Status(ex.httpStatus(), String.valueOf(ex.getMessage()), ex.rpcStatus(), details));
		}

	}

	/** The {@code google.rpc.Status} message. */
	record Status(int code, String message, String status, List<Object> details) {

	}

	/** The {@code google.rpc.ErrorInfo} detail carrying Flow's error reason. */
	record ErrorInfo(@JsonProperty("@type") String type, @Nullable String reason) {

		static final String TYPE = "type.googleapis.com/google.rpc.ErrorInfo";

	}

	/**
	 * The {@code google.rpc.ResourceInfo} detail naming the resource an error is about.
	 */
	record ResourceInfo(@JsonProperty("@type") String type, String resourceType, String resourceName) {

		static final String TYPE = "type.googleapis.com/google.rpc.ResourceInfo";

	}

}
