package io.veoupscale.gateway.upscale;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * An upscale as {@code GET /api/v1/upscales/{upscaleId}} shows it.
 *
 * @param upscaleId the upscale id
 * @param batchId the batch it belongs to
 * @param index its item's 1-based position in the batch
 * @param sourceGenerationId the source video
 * @param profileId the profile whose account runs it
 * @param model the upsampler model the request named
 * @param modelKey the model key sent to Flow for it: the requested model, or the current
 * key configured in place of a deprecated one
 * @param sceneId the scene id sent upstream
 * @param operationName the upstream operation
 * @param status {@code pending}, {@code processing}, {@code completed} or {@code failed}
 * @param videoUrl the upscaled video, once completed: a link that has not expired, left
 * out when none could be had from Flow
 * @param error why it failed
 * @param createdAt when Flow accepted it
 * @param updatedAt when its status last changed
 * @param completedAt when it ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Upscale")
record UpscaleView(String upscaleId, String batchId, int index, String sourceGenerationId, String profileId,
		String model, @Nullable String modelKey, String sceneId, String operationName, @Schema(allowableValues = {
				"pending", "processing", "completed", "failed" }) String status,
		@Nullable String videoUrl, @Nullable String error, Instant createdAt, Instant updatedAt,
		@Nullable Instant completedAt){

	UpscaleView withVideoUrl(@Nullable String url) {
		return new UpscaleView(this.upscaleId, this.batchId, this.index, this.sourceGenerationId, this.profileId,
				this.model, this.modelKey, this.sceneId, this.operationName, this.status, url, this.error,
				this.createdAt, this.updatedAt, this.completedAt);
	}

}
