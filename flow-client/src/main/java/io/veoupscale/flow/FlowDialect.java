package io.veoupscale.flow;

/**
 * The shapes the Flow API has had. Both start upscales at
 * {@code video:batchAsyncGenerateVideoUpsampleVideo}.
 */
public enum FlowDialect {

	/**
	 * 2025: operations (with scene ids) in the status check, a signed URL with success.
	 */
	V1,

	/**
	 * 2026: {@code mediaGenerationContext}, {@code resolution} and
	 * {@code useV2ModelConfig} in the start, media names in the status check.
	 */
	V2

}
