package io.veoupscale.gateway.web;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps every failure to the envelope with a message that names the field and the rule
 * (once, however many constraints share it); never a stack trace, never a rejected value
 * (it could be a secret).
 */
@RestControllerAdvice
class ApiExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(ApiException.class)
	ResponseEntity<ApiResponse<Void>> api(ApiException ex) {
		return respond(ex.status(), ex.getMessage());
	}

	@ExceptionHandler(MethodArgumentNotValidException.class)
	ResponseEntity<ApiResponse<Void>> invalid(MethodArgumentNotValidException ex) {
		String message = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> error.getField() + " " + error.getDefaultMessage())
			.sorted()
			.distinct()
			.collect(Collectors.joining("; "));
		return respond(HttpStatus.BAD_REQUEST, message);
	}

	@ExceptionHandler(HandlerMethodValidationException.class)
	ResponseEntity<ApiResponse<Void>> invalidParameter(HandlerMethodValidationException ex) {
		String message = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> (result instanceof ParameterErrors errors)
					? errors.getFieldErrors()
						.stream()
						.map((error) -> error.getField() + " " + error.getDefaultMessage())
					: result.getResolvableErrors()
						.stream()
						.map((error) -> result.getMethodParameter().getParameterName() + " "
								+ error.getDefaultMessage()))
			.sorted()
			.distinct()
			.collect(Collectors.joining("; "));
		return respond(HttpStatus.BAD_REQUEST, message);
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ApiResponse<Void>> typeMismatch(MethodArgumentTypeMismatchException ex) {
		Class<?> type = ex.getRequiredType();
		return respond(HttpStatus.BAD_REQUEST,
				ex.getName() + " must be " + ((type != null) ? describe(type) : "a valid value"));
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	ResponseEntity<ApiResponse<Void>> missingParameter(MissingServletRequestParameterException ex) {
		return respond(HttpStatus.BAD_REQUEST, ex.getParameterName() + " is required");
	}

	@ExceptionHandler(MissingRequestHeaderException.class)
	ResponseEntity<ApiResponse<Void>> missingHeader(MissingRequestHeaderException ex) {
		return respond(HttpStatus.BAD_REQUEST, "Header " + ex.getHeaderName() + " is required");
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ApiResponse<Void>> unreadable(HttpMessageNotReadableException ex) {
		return respond(HttpStatus.BAD_REQUEST, unreadableMessage(ex.getCause()));
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<ApiResponse<Void>> mediaType(HttpMediaTypeNotSupportedException ex) {
		return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ResponseEntity<ApiResponse<Void>> method(HttpRequestMethodNotSupportedException ex) {
		return respond(HttpStatus.METHOD_NOT_ALLOWED, "Method " + ex.getMethod() + " is not allowed here");
	}

	@ExceptionHandler(NoResourceFoundException.class)
	ResponseEntity<ApiResponse<Void>> notFound(NoResourceFoundException ex) {
		return respond(HttpStatus.NOT_FOUND, "No such resource: /" + ex.getResourcePath());
	}

	@ExceptionHandler(AsyncRequestNotUsableException.class)
	void clientGone(AsyncRequestNotUsableException ex) {
		// The client closed the connection (an SSE stream or a sync request); nothing to
		// answer.
	}

	/**
	 * Spring refuses to read a body sent with a wildcard Content-Type (any type, or any
	 * subtype of one) with a bare {@link IllegalArgumentException}, e.g. on an actuator
	 * endpoint that takes an optional body; that is the caller's error.
	 */
	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<ApiResponse<Void>> illegalArgument(IllegalArgumentException ex, HttpServletRequest request) {
		if (hasWildcardContentType(request)) {
			return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
		}
		return unexpected(ex);
	}

	private static boolean hasWildcardContentType(HttpServletRequest request) {
		String contentType = request.getContentType();
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return type.isWildcardType() || type.isWildcardSubtype();
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ApiResponse<Void>> unexpected(Exception ex) {
		if (ex instanceof ErrorResponse known && !known.getStatusCode().is5xxServerError()) {
			HttpStatusCode status = known.getStatusCode();
			HttpStatus resolved = HttpStatus.resolve(status.value());
			return respond((resolved != null) ? resolved : HttpStatus.BAD_REQUEST,
					(resolved != null) ? resolved.getReasonPhrase() : "Request failed");
		}
		logger.error("Unexpected failure", ex);
		return respond(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");
	}

	static String unreadableMessage(Throwable cause) {
		if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
			return path(mismatch.getPath()) + " must be "
					+ ((mismatch.getTargetType() != null) ? describe(mismatch.getTargetType()) : "of another type");
		}
		if (cause instanceof StreamReadException read) {
			TokenStreamLocation location = read.getLocation();
			return "Request body is not valid JSON" + ((location != null && location.getLineNr() > 0)
					? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")" : "");
		}
		if (cause instanceof JacksonException) {
			return "Request body is not a JSON object of the expected shape";
		}
		return "Request body is missing or not valid JSON";
	}

	private static String path(List<JacksonException.Reference> references) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : references) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String describe(Class<?> type) {
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "an integer";
		}
		if (type == String.class) {
			return "a string";
		}
		if (type == java.time.Instant.class) {
			return "an ISO-8601 instant such as 2026-12-31T00:00:00Z";
		}
		if (List.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		return "a " + type.getSimpleName().replaceAll("(Body|View)$", "").toLowerCase(Locale.ROOT) + " object";
	}

	private static ResponseEntity<ApiResponse<Void>> respond(HttpStatus status, String message) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiResponse.error(message));
	}

}
