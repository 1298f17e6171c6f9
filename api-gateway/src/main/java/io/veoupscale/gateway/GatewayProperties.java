package io.veoupscale.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's settings.
 *
 * @param apiKeyHashes lowercase hex SHA-256 digests of the accepted bearer keys
 * ({@code UPSCALE_GATEWAY_API_KEY_HASHES}, comma-separated)
 * @param maxItemsPerBatch the most items one batch may have
 * @param allowedModels the upsampler models a request may name
 * @param publishTimeout how long a batch may take to reach Kafka before the caller gets
 * 503
 */
@Validated
@ConfigurationProperties("upscale.gateway")
public record GatewayProperties(@DefaultValue List<String> apiKeyHashes,
		@DefaultValue("1000") @Min(1) int maxItemsPerBatch, @DefaultValue( {
				"veo_2_1080p_upsampler_8s", "veo_3_1_upsampler_1080p",
				"veo_3_1_upsampler_4k" }) @NotEmpty Set<String> allowedModels,
		@DefaultValue("5s") Duration publishTimeout){

}
