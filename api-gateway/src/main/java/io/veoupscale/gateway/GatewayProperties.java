package io.veoupscale.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's settings.
 *
 * @param apiKeyHashes lowercase hex SHA-256 digests of the accepted bearer keys
 * ({@code UPSCALE_GATEWAY_API_KEY_HASHES}, comma-separated); none means every protected
 * call gets 401
 * @param maxItemsPerBatch the most items one batch may have
 * @param allowedModels the upsampler models a request may name
 * @param publishTimeout how long a batch may take to reach Kafka before the caller gets
 * 503; keep it above the producer's {@code delivery.timeout.ms}, so that a 503 means the
 * producer gave up and no batch exists
 * @param syncTimeout how long the sync endpoint waits for every item to be initiated
 * before it answers with what is known so far
 * @param syncCheckInterval how often the database is asked whether a batch that a sync
 * request waits for has completed, in case its events are late
 */
@Validated
@ConfigurationProperties("upscale.gateway")
public record GatewayProperties(
		@DefaultValue List<@Pattern(regexp = "\\s*([0-9a-fA-F]{64})?\\s*",
				message = "must be a hex SHA-256 digest (64 characters)") String> apiKeyHashes,
		@DefaultValue("1000") @Min(1) int maxItemsPerBatch, @DefaultValue( {
				"veo_2_1080p_upsampler_8s", "veo_3_1_upsampler_1080p",
				"veo_3_1_upsampler_4k" }) @NotEmpty Set<String> allowedModels,
		@DefaultValue("6s") Duration publishTimeout, @DefaultValue("60s") Duration syncTimeout,
		@DefaultValue("1s") Duration syncCheckInterval){

}
