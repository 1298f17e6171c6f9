package io.veoupscale.flow;

import org.jspecify.annotations.Nullable;

/**
 * What to upscale.
 *
 * @param sceneId the caller's id for this upscale, stable across retries
 * @param mediaId the source video's media generation id
 * @param model the upsampler model key as sent to Flow (see
 * {@link FlowClient#modelKey(String)})
 * @param flowProjectId the Flow project of the source video
 * @param aspectRatio the source video's aspect ratio
 * @param recaptchaToken a reCAPTCHA token for the start call, if a token source gave one
 */
public record UpscaleStart(String sceneId, String mediaId, String model, @Nullable String flowProjectId,
		AspectRatio aspectRatio, @Nullable String recaptchaToken) {

	/**
	 * The media Flow names the upscale of this source video, in either dialect.
	 * @return {@code <mediaId>_upsampled}
	 */
	public String upscaledMediaName() {
		return upscaledMediaName(this.mediaId);
	}

	/**
	 * The media Flow names the upscale of a source video.
	 * @param mediaId the source video's media generation id
	 * @return {@code <mediaId>_upsampled}
	 */
	public static String upscaledMediaName(String mediaId) {
		return mediaId + "_upsampled";
	}

	@Override
	public String toString() {
		return "UpscaleStart[sceneId=" + this.sceneId + ", mediaId=" + this.mediaId + ", model=" + this.model
				+ ", aspectRatio=" + this.aspectRatio + "]";
	}

}
