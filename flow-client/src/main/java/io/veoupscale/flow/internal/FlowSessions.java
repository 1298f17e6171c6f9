package io.veoupscale.flow.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.veoupscale.flow.FlowRefusedException;
import tools.jackson.databind.JsonNode;

/**
 * Access tokens per session cookie: fetched from the labs session endpoint, reused until
 * less than the refresh margin remains, dropped on a 401.
 */
final class FlowSessions {

	static final String SESSION_COOKIE = "__Secure-next-auth.session-token";

	private final FlowLabsApi labs;

	private final Clock clock;

	private final Duration refreshMargin;

	private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();

	FlowSessions(FlowLabsApi labs, Clock clock, Duration refreshMargin) {
		this.labs = labs;
		this.clock = clock;
		this.refreshMargin = refreshMargin;
	}

	static String cookieHeader(String sessionToken) {
		return SESSION_COOKIE + "=" + sessionToken;
	}

	String accessToken(String sessionToken) {
		Instant refreshBefore = this.clock.instant().plus(this.refreshMargin);
		AccessToken cached = this.tokens.get(sessionToken);
		if (cached != null && cached.expires().isAfter(refreshBefore)) {
			return cached.value();
		}
		return this.tokens
			.compute(sessionToken, (key, current) -> (current != null && current.expires().isAfter(refreshBefore))
					? current : fetch(sessionToken))
			.value();
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

	private record AccessToken(String value, Instant expires) {

		@Override
		public String toString() {
			return "AccessToken[<redacted>, expires=" + this.expires + "]";
		}

	}

}
