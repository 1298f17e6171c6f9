package io.veoupscale.gateway.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long idempotency keys hold.
 *
 * @param ttl how long a key replays its first answer; after it the key may be used anew
 * @param purgeInterval how often keys older than {@code ttl} are deleted
 * @param leaseMargin how much longer than its own timeouts a request holds its key
 * in-flight; a duplicate after that (the instance died) takes the request over with the
 * same batch id
 */
@Validated
@ConfigurationProperties("upscale.gateway.idempotency")
public record IdempotencyProperties(@DefaultValue("24h") Duration ttl, @DefaultValue("1h") Duration purgeInterval,
		@DefaultValue("30s") Duration leaseMargin) {

}
