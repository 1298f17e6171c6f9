package io.veoupscale.gateway.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.GatewayClient.Response;
import io.veoupscale.gateway.testing.GatewayIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code /api/**} route, found from the handler mappings so that a new one cannot
 * slip through, answers 401 without a valid key; actuator health stays open.
 */
@GatewayIntegrationTest
class ApiKeyIntegrationTests {

	private static final String UNAUTHORIZED = "{\"success\":false,\"error\":\"Missing or invalid API key: send Authorization: Bearer <key>\"}";

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	GatewayClient gateway;

	@BeforeEach
	void setUp() {
		this.gateway = new GatewayClient(this.port);
	}

	@Test
	void refusesEveryApiRouteWithoutAValidKey() {
		List<String> routes = apiRoutes();
		assertThat(routes).hasSizeGreaterThanOrEqualTo(10);
		List<String> authorizations = List.of("", "Bearer", "Bearer wrong-key", "Basic " + GatewayClient.API_KEY,
				"Bearer " + GatewayClient.API_KEY + "x", "Bearer " + GatewayClient.API_KEY_HASH);
		for (String route : routes) {
			String method = route.substring(0, route.indexOf(' '));
			String path = route.substring(route.indexOf(' ') + 1);
			for (String authorization : authorizations) {
				Response response = this.gateway.send(method, path, method.equals("GET") ? null : "{}", "Authorization",
						authorization, "Content-Type", "application/json");
				assertThat(response.status()).as("%s with '%s'", route, authorization).isEqualTo(401);
				assertThat(response.body()).as(route).isEqualTo(UNAUTHORIZED);
				assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
			}
		}
	}

	@Test
	void acceptsTheKeyCaseInsensitiveScheme() {
		Response response = this.gateway.get("/api/v1/generations?limit=1", "Authorization",
				"bearer " + GatewayClient.API_KEY);

		assertThat(response.status()).isEqualTo(200);
	}

	@Test
	void leavesHealthOpenAndPutsTheRestOfActuatorBehindTheKey() {
		assertThat(this.gateway.get("/actuator/health", "Authorization", "").status()).isEqualTo(200);
		assertThat(this.gateway.get("/actuator/health/liveness", "Authorization", "").status()).isEqualTo(200);
		assertThat(this.gateway.get("/actuator/metrics", "Authorization", "").status()).isEqualTo(401);
		assertThat(this.gateway.get("/actuator/info", "Authorization", "").status()).isEqualTo(401);
		assertThat(this.gateway.get("/actuator", "Authorization", "").status()).isEqualTo(401);
		assertThat(this.gateway.get("/actuator/metrics").status()).isEqualTo(200);
	}

	private List<String> apiRoutes() {
		List<String> routes = new ArrayList<>();
		for (RequestMappingInfo info : this.mappings.getHandlerMethods().keySet()) {
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			for (String pattern : info.getPatternValues()) {
				if (!pattern.startsWith("/api/")) {
					continue;
				}
				String path = pattern.replaceAll("\\{[^}]+}", "x");
				for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
					routes.add(method.name() + " " + path);
				}
			}
		}
		return routes;
	}

}
