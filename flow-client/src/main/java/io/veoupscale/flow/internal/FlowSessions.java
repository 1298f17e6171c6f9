package io.veoupscale.flow.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.veoupscale.flow.FlowRefusedException;
import tools.jackson.databind.JsonNode;

/**
 * Access tokens per session cookie: fetched from the labs session endpoint, reused until
 * less than the refresh margin remains, dropped on a 401. Sessions are fetched
 * independently, so a hundred new profiles' tokens arrive together.
 */
final class FlowSessions {

	static final String SESSION_COOKIE = "__Secure-next-auth.session-token";

	/** How long what is known of a session is kept after its last use. */
	static final Duration IDLE_SESSION = Duration.ofDays(1);

	private final FlowLabsApi labs;

	private final Clock clock;

	private final Duration refreshMargin;

	/**
	 * Each session's token; a session unused for a day (its cookie replaced, say) is
	 * forgotten.
	 */
	private final Map<String, AccessToken> tokens = Caffeine.newBuilder()
		.expireAfterAccess(IDLE_SESSION)
		.<String, AccessToken>build()
		.asMap();

	/** A lock per session while a token is fetched for it, kept only while in use. */
	private final Map<String, Object> fetching = Caffeine.newBuilder().weakValues().<String, Object>build().asMap();

	FlowSessions(FlowLabsApi labs, Clock clock, Duration refreshMargin) {
		this.labs = labs;
		this.clock = clock;
		this.refreshMargin = refreshMargin;
	}

	static String cookieHeader(String sessionToken) {
		return SESSION_COOKIE + "=" + sessionToken;
	}

	String accessToken(String sessionToken) {
		return token(sessionToken).value();
	}

	/**
	 * Makes sure the session has a token that lasts past the refresh margin.
	 * @return whether a new one was fetched
	 */
	boolean prepare(String sessionToken) {
		return token(sessionToken).fresh();
	}

	private Token token(String sessionToken) {
		Instant refreshBefore = this.clock.instant().plus(this.refreshMargin);
		AccessToken cached = this.tokens.get(sessionToken);
		if (cached != null && cached.expires().isAfter(refreshBefore)) {
			return new Token(cached.value(), false);
		}
		// One fetch per session at a time, and none holding a lock other sessions need:
		// a fetch is a network call.
		synchronized (this.fetching.computeIfAbsent(sessionToken, (key) -> new Object())) {
			AccessToken current = this.tokens.get(sessionToken);
			if (current != null && current.expires().isAfter(refreshBefore)) {
				return new Token(current.value(), false);
			}
			AccessToken fetched = fetch(sessionToken);
			this.tokens.put(sessionToken, fetched);
			return new Token(fetched.value(), true);
		}
	}

	void invalidate(String sessionToken, String accessToken) {
		this.tokens.computeIfPresent(sessionToken,
				(key, current) -> current.value().equals(accessToken) ? null : current);
	}

	private AccessToken fetch(String sessionToken) {
		JsonNode session = this.labs.session(cookieHeader(sessionToken));
		if (session.hasNonNull("error") || !session.hasNonNull("access_token")) {
			String reason = session.hasNonNull("error") ? session.get("error").asString() : "NO_SESSION";
			throw new FlowRefusedException(reason, 401,
					"Flow session is not valid (" + reason + "): the profile's cookies must be replaced");
		}
		return new AccessToken(session.get("access_token").asString(), expiry(session));
	}

	private Instant expiry(JsonNode session) {
		try {
			return Instant.parse(session.path("expires").asString(""));
		}
		catch (DateTimeParseException ex) {
			return this.clock.instant().plus(this.refreshMargin).plus(Duration.ofMinutes(5));
		}
	}

	/**
	 * A token handed out, and whether it was fetched for this call.
	 */
	private record Token(String value, boolean fresh) {

		@Override
		public String toString() {
			return "Token[<redacted>, fresh=" + this.fresh + "]";
		}

	}

	private record AccessToken(String value, Instant expires) {

		@Override
		public String toString() {
			return "AccessToken[<redacted>, expires=" + this.expires + "]";
		}

	}

}
