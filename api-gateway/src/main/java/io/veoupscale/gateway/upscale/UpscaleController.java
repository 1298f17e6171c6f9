package io.veoupscale.gateway.upscale;

import java.net.URI;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.gateway.web.ApiResponse;
import io.veoupscale.gateway.web.ValidId;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows one upscale: its status at Flow and, once completed, a link to its video that has
 * not expired.
 */
@RestController
@Tag(name = "Upscales")
class UpscaleController {

	private final UpscaleQueries upscales;

	private final VideoLinks links;

	UpscaleController(UpscaleQueries upscales, VideoLinks links) {
		this.upscales = upscales;
		this.links = links;
	}

	@Operation(summary = "One upscale: status, model key sent, video URL or error",
			description = "The videoUrl is never older than upscale.gateway.video-links.max-age: an older one is "
					+ "renewed through Flow first, and left out when Flow does not renew it.")
	@GetMapping("/api/v1/upscales/{upscaleId}")
	ApiResponse<UpscaleView> get(@PathVariable @ValidId String upscaleId) {
		UpscaleQueries.StoredUpscale upscale = find(upscaleId);
		VideoLinks.StoredVideo video = upscale.video();
		if (video == null) {
			return ApiResponse.ok(upscale.view());
		}
		return ApiResponse.ok(upscale.view().withVideoUrl(this.links.fresh(video).orElse(null)));
	}

	@Operation(summary = "Redirects to the upscaled video through a link that has not expired",
			description = "302 to the video; 409 while the upscale has no video; 503 when Flow does not renew "
					+ "an expired link.")
	@GetMapping("/api/v1/upscales/{upscaleId}/video")
	ResponseEntity<ApiResponse<Map<String, String>>> video(@PathVariable @ValidId String upscaleId) {
		UpscaleQueries.StoredUpscale upscale = find(upscaleId);
		VideoLinks.StoredVideo video = upscale.video();
		if (video == null) {
			throw new ApiException(HttpStatus.CONFLICT,
					"Upscale " + upscaleId + " has no video (status: " + upscale.view().status() + ")");
		}
		String url = this.links.fresh(video)
			.orElseThrow(() -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "The video link of upscale " + upscaleId
					+ " expired and Flow did not hand out a fresh one; try again later"));
		return ResponseEntity.status(HttpStatus.FOUND)
			.location(URI.create(url))
			.body(ApiResponse.ok(Map.of("videoUrl", url)));
	}

	private UpscaleQueries.StoredUpscale find(String upscaleId) {
		return this.upscales.find(upscaleId)
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Upscale " + upscaleId + " not found"));
	}

}
