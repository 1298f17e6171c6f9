package io.veoupscale.flow.internal;

import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * The video API host's calls, in both dialects (which start upscales at the same path).
 */
@HttpExchange(url = "/v1", contentType = "application/json", accept = "application/json")
interface FlowVideoApi {

	@PostExchange("/video:batchAsyncGenerateVideoUpsampleVideo")
	JsonNode startUpscale(@RequestHeader("Authorization") String authorization, @RequestBody JsonNode body);

	@PostExchange("/video:batchCheckAsyncVideoGenerationStatus")
	JsonNode checkStatus(@RequestHeader("Authorization") String authorization, @RequestBody JsonNode body);

	@PostExchange("/flowMedia:cancelGeneration")
	JsonNode cancelGeneration(@RequestHeader("Authorization") String authorization, @RequestBody JsonNode body);

	@GetExchange("/credits")
	JsonNode credits(@RequestHeader("Authorization") String authorization);

}
