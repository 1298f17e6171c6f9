package io.veoupscale.flow;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
 * @param modelAliases the model key sent to Flow in place of a requested one, per dialect
 */
@Validated
@ConfigurationProperties("flow")
public record FlowProperties(@DefaultValue("http://localhost:8090") @NotNull URI apiBaseUrl,
		@DefaultValue("http://localhost:8090/fx") @NotNull URI labsBaseUrl, @DefaultValue("v2") FlowDialect dialect,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration readTimeout,
		@DefaultValue("10m") Duration tokenRefreshMargin, @DefaultValue("64") @Min(1) int maxConnections,
		@Nullable URI recaptchaProviderUrl, @DefaultValue @Valid ModelAliases modelAliases) {

	/**
	 * The model keys a dialect sends in place of others, as {@code requested=sent} pairs.
	 * Requests, events and records keep the requested name; the key sent is recorded on
	 * the upscale.
	 *
	 * @param v1 the aliases of the 2025 dialect ({@code FLOW_MODEL_ALIASES_V1}); none by
	 * default
	 * @param v2 the aliases of the 2026 dialect ({@code FLOW_MODEL_ALIASES_V2}); by
	 * default the seed's {@code veo_2_1080p_upsampler_8s}, which Flow lists as
	 * deprecated, is sent as {@code veo_3_1_upsampler_1080p}; empty to send every model
	 * as requested
	 */
	public record ModelAliases(
			@DefaultValue List<@Pattern(regexp = "[^=\\s]+=[^=\\s]+", message = "must be requested=sent") String> v1,
			@DefaultValue("veo_2_1080p_upsampler_8s=veo_3_1_upsampler_1080p") List<@Pattern(
					regexp = "[^=\\s]+=[^=\\s]+", message = "must be requested=sent") String> v2) {

		/**
		 * The aliases of one dialect.
		 * @param dialect the dialect
		 * @return sent key by requested model
		 */
		public Map<String, String> of(FlowDialect dialect) {
			Map<String, String> aliases = new LinkedHashMap<>();
			for (String pair : (dialect == FlowDialect.V1) ? this.v1 : this.v2) {
				int equals = pair.indexOf('=');
				if (equals > 0) {
					aliases.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
				}
			}
			return aliases;
		}

	}

}
