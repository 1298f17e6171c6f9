package io.veoupscale.gateway.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Describes the API for the document at {@code /v3/api-docs} and its browsable UI: the
 * title, the contract's envelope and the bearer key every {@code /api/**} call needs.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	/** The name of the bearer API key scheme in the document. */
	static final String API_KEY_SCHEME = "apiKey";

	@Bean
	OpenAPI upscaleOpenApi() {
		return new OpenAPI().info(new Info().title("Veo batch upscale API").version("v1").description("""
				Batch upscaling of Veo videos through the Flow API. Every response body is the envelope \
				{"success":true,"data":...} or {"success":false,"error":"<message naming the field and the rule>"}. \
				Every /api call needs Authorization: Bearer <api key>; without a valid key the answer is 401. \
				Live progress events stream from GET /api/v1/events (Server-Sent Events).
				"""))
			.components(new Components().addSecuritySchemes(API_KEY_SCHEME,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.description("An API key whose SHA-256 is configured in UPSCALE_GATEWAY_API_KEY_HASHES")))
			.addSecurityItem(new SecurityRequirement().addList(API_KEY_SCHEME));
	}

}
