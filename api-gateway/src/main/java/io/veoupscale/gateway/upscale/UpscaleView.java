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
 * @param model the upsampler model
 * @param sceneId the scene id sent upstream
 * @param operationName the upstream operation
 * @param status {@code pending}, {@code processing}, {@code completed} or {@code failed}
 * @param videoUrl the upscaled video, once completed
 * @param error why it failed
 * @param createdAt when Flow accepted it
 * @param updatedAt when its status last changed
 * @param completedAt when it ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Upscale")
record UpscaleView(String upscaleId, String batchId, int index, String sourceGenerationId, String profileId,
		String model, String sceneId, String operationName, @Schema(allowableValues = {
				"pending", "processing", "completed", "failed" }) String status,
		@Nullable String videoUrl, @Nullable String error, Instant createdAt, Instant updatedAt,
		@Nullable Instant completedAt){

}
