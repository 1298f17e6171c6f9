package io.veoupscale.gateway.generation;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.gateway.web.ApiResponse;
import io.veoupscale.gateway.web.ValidId;
import io.veoupscale.store.generation.Generation;
import io.veoupscale.store.generation.GenerationRepository;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registers source videos, shows one, and lists them as the seed's listByStatus does:
 * newest first, each with {@code hasUpscale}.
 */
@RestController
@RequestMapping("/api/v1/generations")
@Tag(name = "Generations", description = "Source videos, and the seed's listByStatus")
class GenerationController {

	private static final String STATUSES = "pending|processing|completed|failed";

	private static final String ASPECT_RATIOS = "landscape|portrait|square";

	private final GenerationRepository generations;

	GenerationController(GenerationRepository generations) {
		this.generations = generations;
	}

	@Operation(summary = "Create or replace a source video",
			description = "aspectRatio (landscape, portrait or square; landscape when left out) is sent to Flow "
					+ "with every upscale of the video: a 9:16 Short must be registered as portrait.")
	@PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ApiResponse<Generation>> put(@PathVariable @ValidId String id,
			@RequestBody @Valid GenerationBody body) {
		boolean created = this.generations.save(id, body.projectId(), body.profileId(), body.status(),
				body.mediaGenerationId(), body.flowProjectId(),
				(body.aspectRatio() != null) ? body.aspectRatio() : Generation.LANDSCAPE);
		return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(ApiResponse.ok(find(id)));
	}

	@Operation(summary = "A source video, with hasUpscale")
	@GetMapping("/{id}")
	ApiResponse<Generation> get(@PathVariable @ValidId String id) {
		return ApiResponse.ok(find(id));
	}

	@Operation(summary = "List source videos (veo3:generation:listByStatus)",
			description = "Newest first; each with hasUpscale (an upscale of it exists that has not failed). "
					+ "Every filter applies only when given.")
	@GetMapping
	ApiResponse<List<Generation>> list(
			@RequestParam(required = false) @Pattern(regexp = STATUSES,
					message = "must be one of pending, processing, completed, failed") @Nullable String status,
			@RequestParam(required = false) @ValidId(blankAllowed = true) @Nullable String projectId,
			@RequestParam(required = false) @Nullable Boolean hasUpscale,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
		return ApiResponse.ok(this.generations.list(status, projectId, hasUpscale, limit));
	}

	private Generation find(String id) {
		return this.generations.find(id)
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Generation " + id + " not found"));
	}

	/**
	 * The body of {@code PUT /api/v1/generations/{id}}.
	 */
	@Schema(name = "GenerationRequest",
			example = """
					{"projectId":"p1","profileId":"prof1","status":"completed","mediaGenerationId":"CAUSJGM0...","flowProjectId":"4f1c...","aspectRatio":"portrait"}""")
	record GenerationBody(@NotBlank @ValidId String projectId, @NotBlank @ValidId String profileId,
			@NotBlank @Pattern(regexp = STATUSES,
					message = "must be one of pending, processing, completed, failed") String status,
			@Nullable @ValidId(max = 512, blankAllowed = true) String mediaGenerationId,
			@Nullable @ValidId(max = 256, blankAllowed = true) String flowProjectId,
			@Nullable @Schema(allowableValues = {
					"landscape", "portrait", "square" }, defaultValue = "landscape") @Pattern(regexp = ASPECT_RATIOS,
							message = "must be one of landscape, portrait, square") String aspectRatio){
	}

}
