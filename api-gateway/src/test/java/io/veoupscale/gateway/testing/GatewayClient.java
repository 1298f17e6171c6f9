package io.veoupscale.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.veoupscale.events.UpscaleJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An HTTP client of a gateway that sends the test API key and keeps every response body
 * it saw (so that a test can search them for secrets).
 */
public final class GatewayClient {

	/** The API key the test gateways accept. */
	public static final String API_KEY = "gateway-test-key";

	/** The SHA-256 of {@link #API_KEY}, as configured. */
	public static final String API_KEY_HASH = "351158e442692574e2417a9c4dfa26d4455833a3dea2c0823a42439fb57d4168";

	/** The secret the test gateways sign callbackUrl deliveries with. */
	public static final String CALLBACK_SECRET = "whsec_dGVzdC1jYWxsYmFjay1zZWNyZXQtMzItYnl0ZXMhIQ==";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private final List<String> bodies = new CopyOnWriteArrayList<>();

	public GatewayClient(int port) {
		this.base = "http://localhost:" + port;
	}

	public String base() {
		return this.base;
	}

	public HttpClient http() {
		return this.http;
	}

	public Response get(String path, String... headers) {
		return send("GET", path, null, headers);
	}

	public Response post(String path, Object body, String... headers) {
		return send("POST", path, json(body), withJson(headers));
	}

	public Response put(String path, Object body, String... headers) {
		return send("PUT", path, json(body), withJson(headers));
	}

	/**
	 * Sends a request with the API key; a header given as {@code Authorization} replaces
	 * it, and one given with an empty value leaves it out.
	 * @param method the method
	 * @param path the path
	 * @param body the raw body, if any
	 * @param headers names and values, alternating
	 * @return the response
	 */
	public Response send(String method, String path, @Nullable String body, String... headers) {
		return sendAsync(method, path, body, headers).join();
	}

	public CompletableFuture<Response> sendAsync(String method, String path, @Nullable String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		boolean authorization = false;
		for (int i = 0; i < headers.length; i += 2) {
			if (headers[i].equalsIgnoreCase("Authorization")) {
				authorization = true;
			}
			if (!headers[i + 1].isEmpty()) {
				request.header(headers[i], headers[i + 1]);
			}
		}
		if (!authorization) {
			request.header("Authorization", "Bearer " + API_KEY);
		}
		return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply((response) -> {
			this.bodies.add(response.body());
			return new Response(response.statusCode(), response.headers(), response.body());
		});
	}

	/**
	 * Every response body this client received.
	 * @return the bodies
	 */
	public List<String> bodies() {
		return List.copyOf(this.bodies);
	}

	public static String json(Object body) {
		return (body instanceof String text) ? text : UpscaleJson.write(body);
	}

	private static String[] withJson(String... headers) {
		for (int i = 0; i < headers.length; i += 2) {
			if (headers[i].equalsIgnoreCase("Content-Type")) {
				return headers;
			}
		}
		String[] all = new String[headers.length + 2];
		System.arraycopy(headers, 0, all, 0, headers.length);
		all[headers.length] = "Content-Type";
		all[headers.length + 1] = "application/json";
		return all;
	}

	/**
	 * A response.
	 *
	 * @param status the status
	 * @param headers the headers
	 * @param body the body
	 */
	public record Response(int status, HttpHeaders headers, String body) {

		public JsonNode json() {
			try {
				return UpscaleJson.mapper().readTree(this.body);
			}
			catch (RuntimeException ex) {
				throw new AssertionError("Not JSON (status " + this.status + "): " + this.body, ex);
			}
		}

		public @Nullable String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

	}

}
