package io.veoupscale.simulator;

import java.net.http.HttpClient;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP tests' way of talking to a running simulator: a client that follows no
 * redirect and hands back every status as it came, and the calls each test makes.
 */
final class SimulatorClient {

	static final String SESSION_COOKIE = "__Secure-next-auth.session-token";

	private SimulatorClient() {
	}

	/**
	 * A client of the simulator at this port, after resetting its state.
	 */
	static RestClient reset(int port) {
		HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
		RestClient http = RestClient.builder()
			.baseUrl("http://localhost:" + port)
			.requestFactory(new JdkClientHttpRequestFactory(client))
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
		assertThat(http.post().uri("/admin/reset").retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.NO_CONTENT);
		return http;
	}

	/**
	 * The session call, with the session cookie among others as a browser sends it.
	 */
	static ResponseEntity<JsonNode> session(RestClient http, String sessionToken) {
		return http.get()
			.uri("/fx/api/auth/session")
			.header(HttpHeaders.COOKIE, "_ga=GA1.1; " + SESSION_COOKIE + "=" + sessionToken + "; other=1")
			.retrieve()
			.toEntity(JsonNode.class);
	}

	static String token(RestClient http, String sessionToken) {
		return session(http, sessionToken).getBody().path("access_token").asString();
	}

	static ResponseEntity<JsonNode> post(RestClient http, String path, String token, String body) {
		return http.post()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(JsonNode.class);
	}

	/**
	 * The start calls the simulator received, as {@code /admin/starts} lists them.
	 */
	static JsonNode starts(RestClient http) {
		return http.get().uri("/admin/starts").retrieve().body(JsonNode.class);
	}

}
