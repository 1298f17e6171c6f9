package io.veoupscale.gateway.upscale;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.gateway.web.ApiResponse;
import io.veoupscale.gateway.web.ValidId;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows one upscale: its status at Flow and, once completed, its video.
 */
@RestController
@Tag(name = "Upscales")
class UpscaleController {

	private final UpscaleQueries upscales;

	UpscaleController(UpscaleQueries upscales) {
		this.upscales = upscales;
	}

	@Operation(summary = "One upscale: status, video URL or error")
	@GetMapping("/api/v1/upscales/{upscaleId}")
	ApiResponse<UpscaleView> get(@PathVariable @ValidId String upscaleId) {
		return ApiResponse.ok(this.upscales.find(upscaleId)
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Upscale " + upscaleId + " not found")));
	}

}
