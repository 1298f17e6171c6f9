package io.veoupscale.flow;

import org.jspecify.annotations.Nullable;

/**
 * What to upscale.
 *
 * @param sceneId the caller's id for this upscale, stable across retries
 * @param mediaId the source video's media generation id
 * @param model the upsampler model key
 * @param flowProjectId the Flow project of the source video
 * @param aspectRatio the Flow aspect ratio, {@code null} for landscape
 * @param recaptchaToken a reCAPTCHA token for the start call, if a token source gave one
 */
public record UpscaleStart(String sceneId, String mediaId, String model, @Nullable String flowProjectId,
		@Nullable String aspectRatio, @Nullable String recaptchaToken) {

	@Override
	public String toString() {
		return "UpscaleStart[sceneId=" + this.sceneId + ", mediaId=" + this.mediaId + ", model=" + this.model + "]";
	}

}
