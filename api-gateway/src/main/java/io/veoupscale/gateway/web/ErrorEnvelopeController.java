package io.veoupscale.gateway.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers the container's error dispatch (failures outside the controllers, such as a
 * request the server itself rejects) with the envelope instead of Boot's default body.
 */
@RestController
class ErrorEnvelopeController implements ErrorController {

	@RequestMapping("${server.error.path:${error.path:/error}}")
	ResponseEntity<ApiResponse<Void>> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer value && HttpStatus.resolve(value) != null)
				? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
		String message = status.is5xxServerError() ? "Internal error" : status.getReasonPhrase();
		return ResponseEntity.status(status).body(ApiResponse.error(message));
	}

}
