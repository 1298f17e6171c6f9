package io.veoupscale.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The cookie-authenticated labs site ({@code labs.google/fx}): minting access tokens and
 * redirecting to finished videos, plus the video files themselves behind signed links
 * that expire.
 */
@RestController
class LabsController {

	static final String SESSION_COOKIE = "__Secure-next-auth.session-token";

	private static final Logger logger = LoggerFactory.getLogger(LabsController.class);

	private static final DateTimeFormatter EXPIRES = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
		.withZone(ZoneOffset.UTC);

	private static final String VIDEO_MP4 = "video/mp4";

	private final SimulatorState state;

	private final FaultInjector faults;

	private final MediaLinks links;

	LabsController(SimulatorState state, FaultInjector faults, MediaLinks links) {
		this.state = state;
		this.faults = faults;
		this.links = links;
	}

	@GetMapping("/fx/api/auth/session")
	Object session(@CookieValue(name = SESSION_COOKIE, required = false) @Nullable String sessionToken) {
		if (sessionToken == null || sessionToken.isBlank()) {
			logger.info("Session call without a session cookie");
			return Map.of();
		}
		String account = SimulatedAccounts.accountOf(sessionToken);
		Optional<FaultRule> fault = this.faults.apply(FaultTarget.SESSION, account, sessionToken,
				(outcome) -> logger.info("Session call of account {}: {}", account, outcome));
		Optional<SimulatorState.MintedToken> minted = this.state.openSession(sessionToken);
		logger.info("Session call of account {}: {}", account, minted.isPresent() ? "token minted" : "session dead");
		Optional<RuntimeException> failure = fault.flatMap(FaultRule::failureAfterWork);
		if (failure.isPresent()) {
			throw failure.get();
		}
		return minted
			.<Object>map((token) -> new Session(token.value(), EXPIRES.format(token.grant().expiresAt()),
					new User("Simulated " + account, account + "@sim.test")))
			.orElse(Map.of("error", "ACCESS_TOKEN_REFRESH_NEEDED"));
	}

	@GetMapping("/fx/api/trpc/media.getMediaUrlRedirect")
	ResponseEntity<Void> mediaUrlRedirect(
			@CookieValue(name = SESSION_COOKIE, required = false) @Nullable String sessionToken,
			@RequestParam String name, @RequestParam(required = false) @Nullable String mediaUrlType) {
		if (sessionToken == null || sessionToken.isBlank() || !this.state.isSessionAlive(sessionToken)) {
			logger.info("Media URL call for {} without a live session: 401", name);
			throw RpcException.unauthenticated();
		}
		String account = SimulatedAccounts.accountOf(sessionToken);
		Optional<FaultRule> fault = this.faults.apply(FaultTarget.MEDIA_URL, account, sessionToken,
				(outcome) -> logger.info("Media URL call of account {} for {}: {}", account, name, outcome));
		Instant now = this.state.now();
		Optional<SimulatedOperation> operation = this.state.operation(name);
		boolean ready = operation.filter((candidate) -> this.state.mediaReady(candidate, now)).isPresent();
		logger.info("Media URL call of account {} for {}: {}", account, name,
				operation.isEmpty() ? "unknown" : (ready ? "redirected" : "not ready"));
		Optional<RuntimeException> failure = fault.flatMap(FaultRule::failureAfterWork);
		if (failure.isPresent()) {
			throw failure.get();
		}
		if (operation.isEmpty()) {
			throw RpcException.notFound("media not found");
		}
		if (!ready) {
			throw RpcException.notFound("media not ready");
		}
		return ResponseEntity.status(HttpStatus.TEMPORARY_REDIRECT)
			.location(this.links.linkTo(operation.get()))
			.build();
	}

	/**
	 * A video file, through a signed link that has not expired: an expired or forged link
	 * answers 403, as a signed storage URL does.
	 */
	@GetMapping("/media/{fileId}.mp4")
	ResponseEntity<byte[]> video(@PathVariable String fileId,
			@RequestParam(name = "Expires", required = false) @Nullable Long expires,
			@RequestParam(name = "Signature", required = false) @Nullable String signature) {
		if (!this.links.isValid(fileId, expires, signature)) {
			logger.info("Video link of file {} refused: expired or not signed here", fileId);
			return ResponseEntity.status(HttpStatus.FORBIDDEN)
				.contentType(MediaType.TEXT_PLAIN)
				.body("Request has expired".getBytes(StandardCharsets.US_ASCII));
		}
		Instant now = this.state.now();
		Optional<SimulatedOperation> operation = this.state.operationByFile(fileId)
			.filter((known) -> this.state.mediaReady(known, now));
		if (operation.isEmpty()) {
			throw RpcException.notFound("media not found");
		}
		return ResponseEntity.ok().header("Content-Type", VIDEO_MP4).body(videoBytes(operation.get().name()));
	}

	/** An MP4 {@code ftyp} box followed by a {@code free} box naming the operation. */
	static byte[] videoBytes(String name) {
		byte[] ftyp = { 0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p',
				'4', '1' };
		byte[] payload = name.getBytes(StandardCharsets.UTF_8);
		int freeSize = 8 + payload.length;
		byte[] video = new byte[ftyp.length + freeSize];
		System.arraycopy(ftyp, 0, video, 0, ftyp.length);
		video[ftyp.length] = (byte) (freeSize >>> 24);
		video[ftyp.length + 1] = (byte) (freeSize >>> 16);
		video[ftyp.length + 2] = (byte) (freeSize >>> 8);
		video[ftyp.length + 3] = (byte) freeSize;
		System.arraycopy("free".getBytes(StandardCharsets.US_ASCII), 0, video, ftyp.length + 4, 4);
		System.arraycopy(payload, 0, video, ftyp.length + 8, payload.length);
		return video;
	}

	/** The NextAuth session answer for a live session. */
	record Session(@JsonProperty("access_token") String accessToken, String expires, User user) {

		@Override
		public String toString() {
			return "Session[user=" + this.user + "]";
		}

	}

	record User(String name, String email) {

	}

}
