package io.veoupscale.flow;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where Flow is and how to talk to it.
 *
 * @param apiBaseUrl the video API host ({@code FLOW_API_BASE_URL}), e.g.
 * {@code https://aisandbox-pa.googleapis.com}
 * @param labsBaseUrl the labs site including its {@code /fx} prefix
 * ({@code FLOW_LABS_BASE_URL}), e.g. {@code https://labs.google/fx}
 * @param dialect the API dialect ({@code FLOW_DIALECT}): {@code v2} (2026, default) or
 * {@code v1} (2025)
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for an answer; past it a start's outcome is unknown
 * @param tokenRefreshMargin an access token is refreshed when less than this remains
 * @param maxConnections connections kept open to each Flow host; a call finding all of
 * them busy waits for one
 * @param recaptchaProviderUrl a reCAPTCHA token provider ({@code GET <url>?action=..}
 * answering {@code {"token":".."}}); none when unset
 */
@Validated
@ConfigurationProperties("flow")
public record FlowProperties(@DefaultValue("http://localhost:8090") @NotNull URI apiBaseUrl,
		@DefaultValue("http://localhost:8090/fx") @NotNull URI labsBaseUrl, @DefaultValue("v2") FlowDialect dialect,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration readTimeout,
		@DefaultValue("10m") Duration tokenRefreshMargin, @DefaultValue("64") @Min(1) int maxConnections,
		@Nullable URI recaptchaProviderUrl) {

}
