package io.veoupscale.store.profile;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A profile as anyone may see it: whether it has cookies, never their values.
 *
 * @param id the profile id
 * @param name a display name
 * @param loggedIn whether the account is logged in
 * @param hasFlowCookies whether cookies are stored
 * @param flowCookiesExpireAt when the stored cookies expire, if known
 * @param createdAt when the profile was first stored
 * @param updatedAt when it last changed
 */
public record Profile(String id, String name, boolean loggedIn, boolean hasFlowCookies,
		@Nullable Instant flowCookiesExpireAt, Instant createdAt, Instant updatedAt) {

	/**
	 * Whether the profile has cookies that are not past their expiry.
	 * @param now the current time
	 * @return whether its Flow cookies are active
	 */
	public boolean hasActiveFlowCookies(Instant now) {
		return this.hasFlowCookies && (this.flowCookiesExpireAt == null || this.flowCookiesExpireAt.isAfter(now));
	}

}
