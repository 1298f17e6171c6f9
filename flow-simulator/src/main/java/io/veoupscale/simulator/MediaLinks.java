package io.veoupscale.simulator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Signed video links that expire, as Flow's are ({@code ...?Expires=...&Signature=...}):
 * made by the media URL redirect and v1 status answers, checked when a video is fetched.
 */
@Component
class MediaLinks {

	private static final String HMAC = "HmacSHA256";

	private final SimulatorState state;

	private final byte[] key = new byte[32];

	MediaLinks(SimulatorState state) {
		this.state = state;
		new SecureRandom().nextBytes(this.key);
	}

	/**
	 * A link to the operation's video, valid for the configured lifetime from now. Called
	 * while a request is being served, whose host the link names unless a public base URL
	 * is configured.
	 */
	URI linkTo(SimulatedOperation operation) {
		long expires = this.state.now().plus(this.state.properties().mediaUrlLifetime()).getEpochSecond();
		String base = this.state.properties().publicBaseUrl();
		if (base == null || base.isBlank()) {
			base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
		}
		return URI.create(base.replaceAll("/+$", "") + "/media/" + operation.fileId() + ".mp4?Expires=" + expires
				+ "&Signature=" + sign(operation.fileId(), expires));
	}

	/**
	 * Whether a link is one this simulator made and has not expired.
	 */
	boolean isValid(String fileId, @Nullable Long expires, @Nullable String signature) {
		if (expires == null || signature == null) {
			return false;
		}
		boolean signed = MessageDigest.isEqual(sign(fileId, expires).getBytes(StandardCharsets.US_ASCII),
				signature.getBytes(StandardCharsets.US_ASCII));
		return signed && this.state.now().isBefore(Instant.ofEpochSecond(expires));
	}

	private String sign(String fileId, long expires) {
		try {
			Mac mac = Mac.getInstance(HMAC);
			mac.init(new SecretKeySpec(this.key, HMAC));
			return HexFormat.of().formatHex(mac.doFinal((fileId + ":" + expires).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required by every Java platform", ex);
		}
	}

}
