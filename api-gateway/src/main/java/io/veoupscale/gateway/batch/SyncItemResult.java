package io.veoupscale.gateway.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One item of a sync answer, with exactly the seed's fields; {@code pending} marks an
 * item not initiated when the sync timeout passed.
 *
 * @param success whether the upscale was initiated
 * @param upscaleId the upscale id (success only)
 * @param sceneId the scene id sent upstream (success only)
 * @param operationName the upstream operation (success only)
 * @param error why it failed (failure only)
 * @param sourceGenerationId the source video
 * @param pending {@code true} when the item was not initiated yet (incomplete answers
 * only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "SyncItemResult")
record SyncItemResult(boolean success, @Nullable String upscaleId, @Nullable String sceneId,
		@Nullable String operationName, @Nullable String error, String sourceGenerationId, @Nullable Boolean pending) {

	static final String NOT_YET_INITIATED = "Not initiated yet: the sync timeout passed; the batch goes on in the background";

	static SyncItemResult succeeded(String upscaleId, String sceneId, @Nullable String operationName,
			String sourceGenerationId) {
		return new SyncItemResult(true, upscaleId, sceneId, operationName, null, sourceGenerationId, null);
	}

	static SyncItemResult failed(String error, String sourceGenerationId) {
		return new SyncItemResult(false, null, null, null, error, sourceGenerationId, null);
	}

	static SyncItemResult notYetInitiated(String sourceGenerationId) {
		return new SyncItemResult(false, null, null, null, NOT_YET_INITIATED, sourceGenerationId, true);
	}

}
