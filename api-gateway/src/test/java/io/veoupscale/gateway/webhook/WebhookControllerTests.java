package io.veoupscale.gateway.webhook;

import java.time.Clock;

import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.WebSliceConfiguration;
import io.veoupscale.store.webhook.WebhookDeliveries;
import io.veoupscale.store.webhook.WebhookSubscriptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The deployment's default: no allow-list, so a webhook or callbackUrl that reaches
 * loopback, a private or link-local address, or another scheme is refused with 400 before
 * anything is stored.
 */
@WebMvcTest(WebhookController.class)
@Import({ WebSliceConfiguration.class, WebhookUrls.class })
@TestPropertySource(properties = "upscale.gateway.api-key-hashes=" + GatewayClient.API_KEY_HASH)
class WebhookControllerTests {

	@Autowired
	MockMvc mvc;

	@MockitoBean
	WebhookSubscriptions subscriptions;

	@MockitoBean
	WebhookDeliveries deliveries;

	@MockitoBean
	Clock clock;

	@MockitoBean
	DeliverySignal signal;

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "http://localhost:8080/hook|url host localhost resolves to",
			"http://127.0.0.1/|url host 127.0.0.1 resolves to 127.0.0.1, a loopback address",
			"http://169.254.169.254/|url host 169.254.169.254 resolves to 169.254.169.254, a link-local address",
			"http://10.0.0.1/|url host 10.0.0.1 resolves to 10.0.0.1, a private address",
			"file:///etc/passwd|url must use http or https, not file" })
	void refusesTargetsThatAreNotPublic(String url, String error) throws Exception {
		this.mvc
			.perform(post("/api/v1/webhooks").header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"url\":\"" + url + "\",\"events\":[\"veo3:batch:upscale:completed\"]}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.success").value(false))
			.andExpect(jsonPath("$.error").value(org.hamcrest.Matchers.startsWith(error)));
		verifyNoInteractions(this.subscriptions);
	}

}
