package io.veoupscale.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Derives the simulated account of a session cookie, so tests and logs can name an
 * account without handling the secret cookie itself.
 */
public final class SimulatedAccounts {

	private SimulatedAccounts() {
	}

	/**
	 * The account a session belongs to: the first 12 hex characters of the SHA-256 of the
	 * session token.
	 * @param sessionToken the value of the {@code __Secure-next-auth.session-token}
	 * cookie
	 * @return 12 lowercase hex characters
	 */
	public static String accountOf(String sessionToken) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionToken.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest).substring(0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

}
