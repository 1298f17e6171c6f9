package io.veoupscale.flow.internal;

import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * The video API host's calls, in both dialects.
 */
@HttpExchange(url = "/v1", contentType = "application/json", accept = "application/json")
interface FlowVideoApi {

	@PostExchange("/video:batchAsyncGenerateVideoUpsampleVideo")
	JsonNode startUpscaleV2(@RequestHeader("Authorization") String authorization, @RequestBody JsonNode body);

	@PostExchange("/video:batchAsyncUpsampleVideo")
	JsonNode startUpscaleV1(@RequestHeader("Authorization") String authorization, @RequestBody JsonNode body);

	@PostExchange("/video:batchCheckAsyncVideoGenerationStatus")
	JsonNode checkStatus(@RequestHeader("Authorization") String authorization, @RequestBody JsonNode body);

}
