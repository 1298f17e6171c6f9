package io.veoupscale.simulator;

import java.time.Instant;

/**
 * What a minted access token stands for; never rendered or logged, since it holds the
 * session secret.
 *
 * @param sessionToken the session cookie the token was minted from
 * @param account the simulated account of that session
 * @param expiresAt when the token stops being accepted
 */
record AccessGrant(String sessionToken, String account, Instant expiresAt) {

	@Override
	public String toString() {
		return "AccessGrant[account=" + this.account + ", expiresAt=" + this.expiresAt + "]";
	}

}
