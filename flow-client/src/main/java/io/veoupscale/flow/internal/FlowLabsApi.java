package io.veoupscale.flow.internal;

import tools.jackson.databind.JsonNode;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

/**
 * The labs site's calls: the session (cookie to access token) and the media URL redirect.
 */
@HttpExchange
interface FlowLabsApi {

	@GetExchange(url = "/api/auth/session", accept = "application/json")
	JsonNode session(@RequestHeader("Cookie") String cookie);

	@GetExchange("/api/trpc/media.getMediaUrlRedirect")
	ResponseEntity<Void> mediaUrlRedirect(@RequestHeader("Cookie") String cookie, @RequestParam("name") String name,
			@RequestParam("mediaUrlType") String mediaUrlType);

}
