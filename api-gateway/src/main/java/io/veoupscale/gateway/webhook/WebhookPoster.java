package io.veoupscale.gateway.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.veoupscale.store.webhook.WebhookProperties;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.MediaType;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Posts a delivery to its receiver: connect and read time-outs, no redirects, no proxy,
 * no cookies, at most a small part of the answer read, and every address a host resolves
 * to checked by {@link WebhookUrls} as the connection is made.
 */
@Component
class WebhookPoster implements DisposableBean {

	private static final int MAX_ERROR_LENGTH = 500;

	private final CloseableHttpClient http;

	private final RestClient rest;

	private final int maxResponseBytes;

	WebhookPoster(WebhookUrls urls, WebhookProperties properties) {
		WebhookProperties.Sender sender = properties.sender();
		Timeout timeout = Timeout.of(sender.timeout());
		DnsResolver resolver = new DnsResolver() {

			@Override
			public InetAddress[] resolve(String host) throws UnknownHostException {
				return urls.resolve(host);
			}

			@Override
			public String resolveCanonicalHostname(String host) {
				return host;
			}

		};
		this.http = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(resolver)
				.setDefaultConnectionConfig(
						ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
				.setMaxConnTotal(sender.threads() * 4)
				.setMaxConnPerRoute(sender.threads())
				.build())
			.setDefaultRequestConfig(RequestConfig.custom()
				.setResponseTimeout(timeout)
				.setConnectionRequestTimeout(timeout)
				.setRedirectsEnabled(false)
				.build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.build();
		this.rest = RestClient.builder().requestFactory(new HttpComponentsClientHttpRequestFactory(this.http)).build();
		this.maxResponseBytes = sender.maxResponseBytes();
	}

	/**
	 * Posts a body.
	 * @param url the receiver
	 * @param headers the webhook headers
	 * @param body the JSON body
	 * @return the receiver's status and the start of its answer, or why there was none
	 */
	Result post(String url, Map<String, String> headers, String body) {
		try {
			return this.rest.post()
				.uri(URI.create(url))
				.contentType(MediaType.APPLICATION_JSON)
				.headers((h) -> headers.forEach(h::set))
				.body(body)
				.exchange((request, response) -> new Result(response.getStatusCode().value(),
						readStart(response.getBody()), null));
		}
		catch (RestClientException | IllegalArgumentException ex) {
			Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
			String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
			return new Result(null, null, truncate(message));
		}
	}

	private String readStart(InputStream body) throws IOException {
		byte[] bytes = body.readNBytes(this.maxResponseBytes);
		return truncate(new String(bytes, StandardCharsets.UTF_8));
	}

	private static String truncate(String text) {
		return (text.length() > MAX_ERROR_LENGTH) ? text.substring(0, MAX_ERROR_LENGTH) : text;
	}

	@Override
	public void destroy() throws IOException {
		this.http.close();
	}

	/**
	 * What an attempt got.
	 *
	 * @param status the HTTP status, if the receiver answered
	 * @param body the start of its answer
	 * @param error why there was no answer
	 */
	record Result(@Nullable Integer status, @Nullable String body, @Nullable String error) {

		String describe() {
			if (this.error != null) {
				return this.error;
			}
			String start = (this.body != null && !this.body.isBlank()) ? ": " + this.body.strip() : "";
			return "HTTP " + this.status + start;
		}

	}

}
