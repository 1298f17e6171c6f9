package io.veoupscale.flow.internal;

import java.net.URI;
import java.util.Optional;

import io.veoupscale.flow.FlowUnavailableException;
import io.veoupscale.flow.RecaptchaTokenSource;
import tools.jackson.databind.JsonNode;

import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Fetches reCAPTCHA tokens from a token provider over HTTP:
 * {@code GET <url>?action=<action>} answering {@code {"token":"..."}}.
 */
public final class HttpRecaptchaTokenSource implements RecaptchaTokenSource {

	private final RestClient client;

	private final URI url;

	public HttpRecaptchaTokenSource(RestClient.Builder restClients, URI url) {
		this.client = restClients.clone().build();
		this.url = url;
	}

	@Override
	public Optional<String> token(String action) {
		try {
			JsonNode answer = this.client.get()
				.uri((builder) -> builder.scheme(this.url.getScheme())
					.host(this.url.getHost())
					.port(this.url.getPort())
					.path(this.url.getPath())
					.queryParam("action", action)
					.build())
				.retrieve()
				.body(JsonNode.class);
			return Optional.ofNullable(answer)
				.map((body) -> body.path("token").asString(null))
				.filter((t) -> !t.isBlank());
		}
		catch (RestClientException ex) {
			throw new FlowUnavailableException("recaptcha", 0,
					"The reCAPTCHA token provider failed: " + ex.getMessage(), ex);
		}
	}

}
