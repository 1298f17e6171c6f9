package io.veoupscale.gateway.batch;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.UpscaleRequest;
import org.jspecify.annotations.Nullable;

/**
 * The body of both batch endpoints (the seed's request), once its shape is checked.
 *
 * @param requests the items
 * @param delayMs least time between two upstream starts; {@code null} for 1500
 */
@Schema(name = "BatchRequest", description = "The items to upscale and the least delay between two upstream starts",
		example = """
				{"requests":[{"sourceGenerationId":"gen1","model":"veo_2_1080p_upsampler_8s"},{"sourceGenerationId":"gen2"}],"delayMs":1500}""")
record BatchSubmission(
		@Schema(description = "1 to 1000 items (the maximum is configured)",
				requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1) List<UpscaleRequest> requests,
		@Schema(description = "Least milliseconds between two upstream starts, an integer from 0 to 60000",
				defaultValue = "1500", minimum = "0", maximum = "60000") @Nullable Integer delayMs) {

	/**
	 * The delay to apply.
	 * @return {@code delayMs} or the seed's default
	 */
	int delayMsOrDefault() {
		return (this.delayMs != null) ? this.delayMs : BatchRequested.DEFAULT_DELAY_MS;
	}

}
