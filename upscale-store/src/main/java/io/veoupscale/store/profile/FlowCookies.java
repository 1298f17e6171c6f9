package io.veoupscale.store.profile;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A profile's Flow session cookie: a secret, kept out of logs by {@link #toString()}.
 *
 * @param sessionToken the value of {@code __Secure-next-auth.session-token}
 * @param expiresAt when the cookie stops working, if known
 */
public record FlowCookies(String sessionToken, @Nullable Instant expiresAt) {

	/**
	 * Whether the cookie is present and not past its expiry.
	 * @param now the current time
	 * @return whether it is active
	 */
	public boolean isActive(Instant now) {
		return !this.sessionToken.isBlank() && (this.expiresAt == null || this.expiresAt.isAfter(now));
	}

	@Override
	public String toString() {
		return "FlowCookies[sessionToken=<redacted>, expiresAt=" + this.expiresAt + "]";
	}

}
