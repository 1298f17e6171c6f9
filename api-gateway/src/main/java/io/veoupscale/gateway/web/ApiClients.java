package io.veoupscale.gateway.web;

/**
 * Names the caller of a request that passed the API key check, so that per-client state
 * (such as idempotency keys) never crosses clients.
 */
public final class ApiClients {

	/**
	 * The request attribute holding the caller's id: the hex SHA-256 of its API key.
	 */
	public static final String REQUEST_ATTRIBUTE = "io.veoupscale.gateway.web.ApiClients.client";

	private ApiClients() {
	}

}
