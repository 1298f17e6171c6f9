package io.veoupscale.gateway.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

import io.veoupscale.events.UpscaleJson;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Answers what Tomcat refuses before the application sees it (an encoded NUL, slash or
 * backslash in a path, a path that is not UTF-8) with the envelope instead of Tomcat's
 * HTML error page. Everything that reaches Spring is answered there.
 */
class EnvelopeErrorReportValve extends ErrorReportValve {

	static final String INVALID_PATH = "Invalid request path: a path may not contain an encoded NUL (%00), "
			+ "slash (%2F) or backslash (%5C), bytes that are not UTF-8, or steps above the root";

	static final String INVALID_REQUEST = "Invalid request line or header: characters outside RFC 3986 must be "
			+ "percent-encoded";

	static final String TOO_LARGE = "The request line and headers are too large";

	@Override
	protected void report(Request request, Response response, @Nullable Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(false);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		try {
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			PrintWriter writer = response.getReporter();
			if (writer != null) {
				writer.write(
						UpscaleJson.write(ApiResponse.error(message(status, request.getContext() == null, throwable))));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone, or the response was committed meanwhile: nothing to
			// answer.
		}
	}

	/**
	 * The error for a status, never echoing the request (Tomcat's messages quote it). A
	 * 400 with a parser's exception refused the request line or a header; one without,
	 * before the request was mapped to the application, refused its path.
	 */
	static String message(int status, boolean unmapped, @Nullable Throwable throwable) {
		if (status == HttpStatus.BAD_REQUEST.value() && throwable instanceof IllegalArgumentException parse) {
			return (parse.getMessage() != null && parse.getMessage().contains("too large")) ? TOO_LARGE
					: INVALID_REQUEST;
		}
		if (status == HttpStatus.BAD_REQUEST.value() && unmapped) {
			return INVALID_PATH;
		}
		HttpStatus resolved = HttpStatus.resolve(status);
		if (resolved == null) {
			return "Request failed";
		}
		return resolved.is5xxServerError() ? "Internal error" : resolved.getReasonPhrase();
	}

}
