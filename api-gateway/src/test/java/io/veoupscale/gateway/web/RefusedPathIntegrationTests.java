package io.veoupscale.gateway.web;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.veoupscale.events.UpscaleJson;
import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that Tomcat refuses before Spring sees them are answered with the envelope and
 * a clear error, not Tomcat's HTML page, and the error never echoes the request.
 */
@GatewayIntegrationTest
class RefusedPathIntegrationTests {

	@LocalServerPort
	int port;

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/generations/a%00b", "/api/v1/profiles/a%2Fb", "/api/v1/profiles/a%5Cb",
			"/api/v1/generations/a%FFb", "/api/v1/generations/abc%ED%A0%80x", "/api/v1/upscale-batches/%C0%AF",
			"/api/v1/%2e%2e/%2e%2e/%2e%2e/etc" })
	void answersAPathTomcatRefusesWithTheEnvelope(String path) throws IOException {
		for (String method : new String[] { "GET", "PUT" }) {
			assertThat(send(method + " " + path)).as("%s %s", method, path)
				.startsWith("HTTP/1.1 400 ")
				.contains("\r\nContent-Type: application/json;charset=UTF-8\r\n")
				.endsWith("\r\n\r\n" + envelope(EnvelopeErrorReportValve.INVALID_PATH));
		}
	}

	@Test
	void answersARequestLineTomcatCannotParseWithTheEnvelope() throws IOException {
		String secret = "token-" + GatewayClient.API_KEY;
		assertThat(send("GET /api/v1/profiles/{" + secret + "}")).startsWith("HTTP/1.1 400 ")
			.contains("\r\nContent-Type: application/json;charset=UTF-8\r\n")
			.endsWith("\r\n\r\n" + envelope(EnvelopeErrorReportValve.INVALID_REQUEST))
			.doesNotContain(secret);
		assertThat(send("GET /api/v1/profiles/" + "a".repeat(20_000))).startsWith("HTTP/1.1 400 ")
			.endsWith("\r\n\r\n" + envelope(EnvelopeErrorReportValve.TOO_LARGE));
	}

	private static String envelope(String error) {
		return UpscaleJson.write(ApiResponse.error(error));
	}

	/**
	 * Sends a request line as is, with the API key, and reads the whole answer.
	 */
	private String send(String requestLine) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			String request = requestLine + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
					+ GatewayClient.API_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
					+ "Connection: close\r\n\r\n{}";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
