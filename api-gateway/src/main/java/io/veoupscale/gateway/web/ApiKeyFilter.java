package io.veoupscale.gateway.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import io.veoupscale.gateway.GatewayProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a {@code /api/**} or {@code /actuator/**} request (except health) through only
 * with {@code Authorization: Bearer <key>} whose SHA-256 is configured; keys are compared
 * as digests in constant time and never stored.
 */
@Component
class ApiKeyFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(ApiKeyFilter.class);

	private static final String BEARER = "bearer ";

	private static final String UNAUTHORIZED = "{\"success\":false,\"error\":\"Missing or invalid API key: send Authorization: Bearer <key>\"}";

	private final List<byte[]> acceptedDigests;

	ApiKeyFilter(GatewayProperties properties) {
		this.acceptedDigests = properties.apiKeyHashes()
			.stream()
			.map(String::trim)
			.filter((hash) -> !hash.isEmpty())
			.map((hash) -> HexFormat.of().parseHex(hash.toLowerCase(Locale.ROOT)))
			.toList();
		if (this.acceptedDigests.isEmpty()) {
			logger.warn("No API keys are configured (UPSCALE_GATEWAY_API_KEY_HASHES): every /api call gets 401");
		}
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.startsWith("/api/")) {
			return false;
		}
		if (path.equals("/actuator") || path.startsWith("/actuator/")) {
			return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
		}
		return true;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] client = acceptedDigest(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (client != null) {
			request.setAttribute(ApiClients.REQUEST_ATTRIBUTE, HexFormat.of().formatHex(client));
			chain.doFilter(request, response);
			return;
		}
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getOutputStream().write(UNAUTHORIZED.getBytes(StandardCharsets.UTF_8));
	}

	private byte @Nullable [] acceptedDigest(@Nullable String authorization) {
		if (authorization == null || authorization.length() <= BEARER.length()
				|| !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return null;
		}
		byte[] digest = sha256(authorization.substring(BEARER.length()).trim());
		boolean match = false;
		for (byte[] accepted : this.acceptedDigests) {
			match |= MessageDigest.isEqual(accepted, digest);
		}
		return match ? digest : null;
	}

	static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
