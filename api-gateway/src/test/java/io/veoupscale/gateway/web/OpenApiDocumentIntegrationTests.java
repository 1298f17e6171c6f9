package io.veoupscale.gateway.web;

import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.GatewayClient.Response;
import io.veoupscale.gateway.testing.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document and its UI are served without a key and describe the contract's
 * routes, errors and the seed's examples.
 */
@GatewayIntegrationTest
class OpenApiDocumentIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void describesTheContractWithTheSeedsExamples() {
		GatewayClient gateway = new GatewayClient(this.port);

		Response response = gateway.get("/v3/api-docs", "Authorization", "");

		assertThat(response.status()).isEqualTo(200);
		JsonNode document = response.json();
		JsonNode paths = document.get("paths");
		assertThat(paths.propertyNames()).contains("/api/v1/upscale-batches", "/api/v1/upscale-batches/sync",
				"/api/v1/upscale-batches/{batchId}", "/api/v1/events", "/api/v1/generations",
				"/api/v1/generations/{id}", "/api/v1/profiles/{id}", "/api/v1/upscales/{upscaleId}",
				"/api/v1/upscales/{upscaleId}/video");
		JsonNode async = paths.get("/api/v1/upscale-batches").get("post");
		assertThat(async.get("responses").propertyNames()).contains("202", "400", "409", "415", "422", "503");
		JsonNode sync = paths.get("/api/v1/upscale-batches/sync").get("post");
		assertThat(sync.get("responses").propertyNames()).contains("200", "202", "400", "409", "422", "503");
		assertThat(response.body()).contains("Source video must be completed before upscaling")
			.contains("veo_2_1080p_upsampler_8s")
			.contains("Idempotency-Key");
		assertThat(document.get("components").get("securitySchemes").get("apiKey").get("scheme").asString())
			.isEqualTo("bearer");
		assertThat(document.get("components").get("schemas").propertyNames()).contains("BatchRequest",
				"SyncBatchResponse", "SyncItemResult", "Batch");
	}

	@Test
	void servesABrowsableUi() {
		GatewayClient gateway = new GatewayClient(this.port);

		Response response = gateway.get("/swagger-ui/index.html", "Authorization", "");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).containsIgnoringCase("swagger");
	}

}
