package io.veoupscale.gateway.web;

import org.springframework.http.HttpStatus;

/**
 * A failure with the status and message the client should see.
 */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	public ApiException(HttpStatus status, String message) {
		super(message);
		this.status = status;
	}

	/**
	 * The response status.
	 * @return the status
	 */
	public HttpStatus status() {
		return this.status;
	}

}
