package io.veoupscale.simulator;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Timing and behaviour of the simulated Flow API, short in tests and close to the real
 * service for local runs.
 *
 * @param pendingFor how long after its start an operation reports
 * {@code MEDIA_GENERATION_STATUS_PENDING} before it turns ACTIVE
 * @param completeAfter how long after its start an operation reports
 * {@code MEDIA_GENERATION_STATUS_SUCCESSFUL}
 * @param mediaUrlDelay how long after success the media URL redirect still answers 404
 * "media not ready"
 * @param tokenLifetime lifetime of the access tokens minted by the session endpoint
 * @param startResponse which of the two v2 start response shapes to answer with
 * @param publicBaseUrl base of the video URLs handed out by the media URL redirect; when
 * unset, the request's own scheme, host and port
 * @param expiredSessionTokens session cookie values whose session is dead and answers
 * {@code ACCESS_TOKEN_REFRESH_NEEDED}
 * @param mediaUrlLifetime how long a video URL handed out by the media URL redirect (or
 * in a v1 status) stays valid; past it the link answers 403
 * @param deprecatedModels model keys a v2 start is refused for, as Flow lists them
 * deprecated
 * @param defaultTier the tier of every account until {@code /admin/accounts} changes it
 * @param defaultCredits the credits of every account until {@code /admin/accounts}
 * changes them
 */
@Validated
@ConfigurationProperties("flow.simulator")
record SimulatorProperties(@NotNull @DefaultValue("1s") Duration pendingFor,
		@NotNull @DefaultValue("8s") Duration completeAfter, @NotNull @DefaultValue("0s") Duration mediaUrlDelay,
		@NotNull @DefaultValue("1h") Duration tokenLifetime,
		@NotNull @DefaultValue("operations") StartResponse startResponse, @Nullable String publicBaseUrl,
		@NotNull @DefaultValue List<String> expiredSessionTokens,
		@NotNull @DefaultValue("6h") Duration mediaUrlLifetime,
		@NotNull @DefaultValue("veo_2_1080p_upsampler_8s") List<String> deprecatedModels,
		@NotNull @DefaultValue("PAYGATE_TIER_TWO") String defaultTier,
		@DefaultValue("240") @PositiveOrZero int defaultCredits) {

	SimulatorProperties {
		// Nulls are left to @NotNull so the binder reports them by property name.
		if (pendingFor != null && completeAfter != null && mediaUrlDelay != null && tokenLifetime != null
				&& mediaUrlLifetime != null
				&& (pendingFor.isNegative() || completeAfter.compareTo(pendingFor) < 0 || mediaUrlDelay.isNegative()
						|| tokenLifetime.isNegative() || tokenLifetime.isZero() || mediaUrlLifetime.isNegative()
						|| mediaUrlLifetime.isZero())) {
			throw new IllegalArgumentException("flow.simulator needs 0 <= pending-for <= complete-after, "
					+ "media-url-delay >= 0, token-lifetime > 0 and media-url-lifetime > 0");
		}
		expiredSessionTokens = (expiredSessionTokens != null) ? List.copyOf(expiredSessionTokens) : List.of();
		deprecatedModels = (deprecatedModels != null) ? List.copyOf(deprecatedModels) : List.of();
	}

	/** The two shapes the v2 start call has been seen to answer with. */
	enum StartResponse {

		/**
		 * {@code {"operations":[{"operation":{"name":..},"sceneId":..,"status":..}]}}.
		 */
		OPERATIONS,

		/** {@code {"media":[{"name":..,"mediaMetadata":..}],"workflows":[..]}}. */
		MEDIA

	}

}
