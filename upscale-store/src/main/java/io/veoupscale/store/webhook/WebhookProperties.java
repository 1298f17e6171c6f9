package io.veoupscale.store.webhook;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhooks: which events a callbackUrl receives, which addresses they may reach, and how
 * deliveries are sent and retried.
 *
 * @param defaultEvents the events a batch's {@code callbackUrl} receives
 * @param allowedCidrs address ranges a webhook may reach although they are loopback,
 * private, link-local or otherwise internal ({@code UPSCALE_WEBHOOKS_ALLOWED_CIDRS},
 * comma-separated CIDRs); none by default
 * @param callbackSecret the Standard Webhooks secret ({@code whsec_...}) that signs
 * deliveries to a batch's {@code callbackUrl} ({@code UPSCALE_WEBHOOKS_CALLBACK_SECRET});
 * without it the gateway refuses callbackUrl
 * @param sender how this instance sends deliveries
 */
@Validated
@ConfigurationProperties("upscale.webhooks")
public record WebhookProperties(@DefaultValue( {
		"veo3:batch:upscale:started", "veo3:batch:upscale:progress", "veo3:batch:upscale:completed",
		"veo3:upscale:status" }) @NotEmpty List<String> defaultEvents, @DefaultValue List<String> allowedCidrs,
		@Nullable @Pattern(regexp = "whsec_[A-Za-z0-9+/=]{16,}",
				message = "must be whsec_ followed by a base64 key") String callbackSecret,
		@DefaultValue @Valid Sender sender, @DefaultValue("7d") Duration deliveryRetention,
		@DefaultValue("1h") Duration retentionCheckInterval){

	/**
	 * How an instance sends deliveries.
	 *
	 * @param enabled whether this instance sends deliveries at all (several instances
	 * share the work; switch it off where no outbound HTTP is wanted)
	 * @param threads deliveries sent at once by this instance
	 * @param pollInterval how often due deliveries are looked for when there were none
	 * @param timeout how long a receiver may take to connect and to answer
	 * @param lease how long a claimed delivery is reserved to this instance; it is taken
	 * over after that if the instance died
	 * @param initialBackoff the wait before the second attempt; it doubles with each
	 * attempt
	 * @param maxBackoff the longest wait between two attempts
	 * @param jitter the random share (0 to 1) taken off or added to each wait
	 * @param retryPeriod how long after its first attempt a delivery is retried before it
	 * is marked failed
	 * @param maxResponseBytes how much of a receiver's answer is read (kept as the error
	 * of a failed attempt)
	 */
	public record Sender(@DefaultValue("true") boolean enabled, @DefaultValue("4") @Min(1) @Max(64) int threads,
			@DefaultValue("500ms") Duration pollInterval, @DefaultValue("10s") Duration timeout,
			@DefaultValue("60s") Duration lease, @DefaultValue("5s") Duration initialBackoff,
			@DefaultValue("1h") Duration maxBackoff,
			@DefaultValue("0.2") @DecimalMin("0") @DecimalMax("1") double jitter,
			@DefaultValue("24h") Duration retryPeriod, @DefaultValue("1024") @Min(0) @Max(65536) int maxResponseBytes) {

	}

}
