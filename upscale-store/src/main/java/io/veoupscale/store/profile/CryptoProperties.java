package io.veoupscale.store.profile;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The key that encrypts Flow cookies at rest.
 *
 * @param key a base64 256-bit AES key, the same for every service
 * ({@code UPSCALE_CRYPTO_KEY})
 */
@Validated
@ConfigurationProperties("upscale.crypto")
public record CryptoProperties(
		@NotBlank(message = "must be set (UPSCALE_CRYPTO_KEY, a base64 256-bit key)") String key) {

}
