package io.veoupscale.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.veoupscale.store.webhook.WebhookSubscriptions;

/**
 * The Standard Webhooks signature: {@code v1,} and the base64 HMAC-SHA256 of
 * {@code id.timestamp.body}, keyed with the base64-decoded part of the secret after
 * {@code whsec_}.
 */
final class WebhookSignature {

	private WebhookSignature() {
	}

	/**
	 * Signs a delivery.
	 * @param secret the secret, {@code whsec_...}
	 * @param webhookId the webhook-id header
	 * @param timestamp the webhook-timestamp header (seconds since the epoch)
	 * @param body the exact body sent
	 * @return the webhook-signature header
	 */
	static String sign(String secret, String webhookId, long timestamp, String body) {
		String key = secret.startsWith(WebhookSubscriptions.SECRET_PREFIX)
				? secret.substring(WebhookSubscriptions.SECRET_PREFIX.length()) : secret;
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
			byte[] digest = mac.doFinal((webhookId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is unavailable", ex);
		}
	}

}
