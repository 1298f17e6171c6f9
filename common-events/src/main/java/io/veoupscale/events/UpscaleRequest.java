package io.veoupscale.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One item of a batch: the source video to upscale and, optionally, the upsampler model.
 *
 * @param sourceGenerationId the id of the completed source video
 * @param model the upsampler model key; {@code null} for the default model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpscaleRequest(String sourceGenerationId, @Nullable String model) {

	/** The model used when a request names none (the seed's default). */
	public static final String DEFAULT_MODEL = "veo_2_1080p_upsampler_8s";

	/**
	 * The model to use for this item.
	 * @return the requested model, or {@link #DEFAULT_MODEL}
	 */
	public String modelOrDefault() {
		return (this.model != null && !this.model.isBlank()) ? this.model : DEFAULT_MODEL;
	}

}
