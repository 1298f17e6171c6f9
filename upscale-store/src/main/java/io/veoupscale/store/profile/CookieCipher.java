package io.veoupscale.store.profile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * Encrypts cookies with AES-256-GCM. The profile id is authenticated with the ciphertext,
 * so a ciphertext copied to another profile does not decrypt. Webhook signing secrets are
 * encrypted with it too, authenticated with their subscription.
 */
@Component
public class CookieCipher {

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecretKey key;

	private final SecureRandom random = new SecureRandom();

	CookieCipher(CryptoProperties properties) {
		this.key = new SecretKeySpec(decodeKey(properties.key()), "AES");
	}

	public byte[] encrypt(String profileId, String plaintext) {
		byte[] iv = new byte[IV_BYTES];
		this.random.nextBytes(iv);
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(profileId.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not encrypt the cookies of profile " + profileId, ex);
		}
	}

	public String decrypt(String profileId, byte[] ciphertext) {
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, ciphertext, 0, IV_BYTES));
			cipher.updateAAD(profileId.getBytes(StandardCharsets.UTF_8));
			byte[] plain = cipher.doFinal(ciphertext, IV_BYTES, ciphertext.length - IV_BYTES);
			return new String(plain, StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The cookies of profile " + profileId
					+ " do not decrypt with this UPSCALE_CRYPTO_KEY (was the key changed?)", ex);
		}
	}

	private static byte[] decodeKey(String base64) {
		byte[] key;
		try {
			key = Base64.getDecoder().decode(base64.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("upscale.crypto.key (UPSCALE_CRYPTO_KEY) is not valid base64", ex);
		}
		if (key.length != 32) {
			throw new IllegalArgumentException(
					"upscale.crypto.key (UPSCALE_CRYPTO_KEY) must be 32 bytes (256 bits), base64; it has "
							+ key.length);
		}
		return key;
	}

}
