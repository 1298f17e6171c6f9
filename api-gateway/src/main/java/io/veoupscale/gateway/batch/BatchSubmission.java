package io.veoupscale.gateway.batch;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.UpscaleRequest;
import org.jspecify.annotations.Nullable;

/**
 * The body of both batch endpoints (the seed's request), once its shape is checked.
 *
 * @param requests the items
 * @param delayMs least time between two upstream starts; {@code null} for 1500
 * @param callbackUrl a checked URL that receives this batch's events as webhooks;
 * {@code null} for none
 */
@Schema(name = "BatchRequest", description = "The items to upscale and the least delay between two upstream starts",
		example = """
				{"requests":[{"sourceGenerationId":"gen1","model":"veo_2_1080p_upsampler_8s"},{"sourceGenerationId":"gen2"}],"delayMs":1500}""")
record BatchSubmission(
		@Schema(description = "1 to 1000 items (the maximum is configured)",
				requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1) List<UpscaleRequest> requests,
		@Schema(description = "Least milliseconds between two upstream starts, an integer from 0 to 60000",
				defaultValue = "1500", minimum = "0", maximum = "60000") @Nullable Integer delayMs,
		@Schema(description = "An http(s) URL that receives this batch's events as webhooks (the deployment's "
				+ "default event set, signed with its callback secret); it must reach a public address",
				example = "https://example.com/hooks/upscale") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String callbackUrl) {

	BatchSubmission(List<UpscaleRequest> requests, @Nullable Integer delayMs) {
		this(requests, delayMs, null);
	}

	/**
	 * The same submission with its callbackUrl replaced.
	 * @param url the checked URL
	 * @return the submission
	 */
	BatchSubmission withCallbackUrl(String url) {
		return new BatchSubmission(this.requests, this.delayMs, url);
	}

	/**
	 * The delay to apply.
	 * @return {@code delayMs} or the seed's default
	 */
	int delayMsOrDefault() {
		return (this.delayMs != null) ? this.delayMs : BatchRequested.DEFAULT_DELAY_MS;
	}

}
