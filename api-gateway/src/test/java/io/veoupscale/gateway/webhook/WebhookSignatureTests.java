package io.veoupscale.gateway.webhook;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTests {

	@Test
	void reproducesTheStandardWebhooksReferenceSignature() {
		assertThat(WebhookSignature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
				1614265330, "{\"test\": 2432232314}"))
			.isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	}

	@Test
	void signsTheExactBodySoAnyChangeBreaksTheSignature() {
		String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
		assertThat(WebhookSignature.sign(secret, "msg_1", 1614265330, "{\"a\":1}"))
			.isNotEqualTo(WebhookSignature.sign(secret, "msg_1", 1614265330, "{\"a\": 1}"))
			.isNotEqualTo(WebhookSignature.sign(secret, "msg_2", 1614265330, "{\"a\":1}"))
			.isNotEqualTo(WebhookSignature.sign(secret, "msg_1", 1614265331, "{\"a\":1}"));
	}

}
