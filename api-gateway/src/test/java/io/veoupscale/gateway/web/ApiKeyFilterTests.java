package io.veoupscale.gateway.web;

import java.util.Map;

import io.veoupscale.gateway.GatewayProperties;
import io.veoupscale.gateway.testing.GatewayClient;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which paths need the API key, and which keys pass.
 */
class ApiKeyFilterTests {

	private final ApiKeyFilter filter = new ApiKeyFilter(new Binder(new MapConfigurationPropertySource(
			Map.of("upscale.gateway.api-key-hashes[0]", " " + GatewayClient.API_KEY_HASH.toUpperCase() + " ",
					"upscale.gateway.api-key-hashes[1]", "", "upscale.gateway.api-key-hashes[2]", "a".repeat(64))))
		.bindOrCreate("upscale.gateway", GatewayProperties.class));

	@Test
	void letsAConfiguredKeyThroughAndNamesTheCaller() throws Exception {
		MockHttpServletRequest request = request("/api/v1/generations", "Bearer " + GatewayClient.API_KEY);
		MockFilterChain chain = new MockFilterChain();

		this.filter.doFilter(request, new MockHttpServletResponse(), chain);

		assertThat(chain.getRequest()).isSameAs(request);
		assertThat(request.getAttribute(ApiClients.REQUEST_ATTRIBUTE)).isEqualTo(GatewayClient.API_KEY_HASH);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Bearer", "Bearer ", "Bearer nope", "Token gateway-test-key",
			"Basic Z2F0ZXdheS10ZXN0LWtleQ==",
			"Bearer 351158e442692574e2417a9c4dfa26d4455833a3dea2c0823a42439fb57d4168" })
	void refusesAMissingOrWrongKey(String authorization) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		this.filter.doFilter(request("/api/v1/events", authorization), response, chain);

		assertThat(chain.getRequest()).isNull();
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(response.getContentAsString()).isEqualTo(
				"{\"success\":false,\"error\":\"Missing or invalid API key: send Authorization: Bearer <key>\"}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator", "/actuator/metrics", "/actuator/prometheus", "/api/v1/anything" })
	void guardsTheApiAndActuator(String path) throws Exception {
		assertThat(passesWithoutKey(path)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/health", "/actuator/health/readiness", "/v3/api-docs", "/swagger-ui/index.html",
			"/" })
	void leavesHealthAndTheDocumentationOpen(String path) throws Exception {
		assertThat(passesWithoutKey(path)).isTrue();
	}

	private boolean passesWithoutKey(String path) throws ServletException, java.io.IOException {
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request(path, ""), new MockHttpServletResponse(), chain);
		return chain.getRequest() != null;
	}

	private static MockHttpServletRequest request(String path, String authorization) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		if (!authorization.isEmpty()) {
			request.addHeader("Authorization", authorization);
		}
		return request;
	}

}
