package io.veoupscale.gateway.upscale;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the gateway hands out links to upscaled videos, which Flow signs for hours only.
 *
 * @param maxAge a stored video URL older than this is replaced, before it is handed out,
 * by a fresh one from Flow's media redirect; keep it well below the lifetime of Flow's
 * links
 */
@Validated
@ConfigurationProperties("upscale.gateway.video-links")
public record VideoLinkProperties(@DefaultValue("1h") @DurationMin(millis = 0) Duration maxAge) {

}
