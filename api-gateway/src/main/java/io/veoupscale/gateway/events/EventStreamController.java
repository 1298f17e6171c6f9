package io.veoupscale.gateway.events;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.veoupscale.events.BatchRequestRules;
import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.gateway.web.ValidId;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Progress events over Server-Sent Events, the HTTP face of the events topic: every event
 * (or one batch's) as {@code id:}/{@code event:}/{@code data:} frames, replaying what a
 * reconnecting client missed.
 */
@RestController
@Tag(name = "Events", description = "Live batch events over Server-Sent Events")
class EventStreamController {

	private final EventHub hub;

	EventStreamController(EventHub hub) {
		this.hub = hub;
	}

	@Operation(summary = "Stream batch events (Server-Sent Events)", description = """
			Streams every event of the events topic (or only one batch's) as SSE frames: id is the event's \
			sequence, event its type (veo3:batch:upscale:started, veo3:batch:upscale:progress, \
			veo3:batch:upscale:completed, veo3:upscale:status, and with batch control veo3:batch:upscale:paused and \
			veo3:batch:upscale:resumed), data its JSON exactly as on the topic. \
			A client that reconnects with Last-Event-ID first receives every event it missed (kept at least 24 h), \
			then live ones. Comment lines (': heartbeat') keep idle streams open.""")
	@ApiResponse(responseCode = "200", description = "An event stream",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string"),
					examples = @ExampleObject(
							value = """
									id: 42
									event: veo3:batch:upscale:progress
									data: {"type":"veo3:batch:upscale:progress","batchId":"abc123def456","sourceGenerationId":"gen1","success":true,"upscaleId":"upscale1","sceneId":"scene1","operationName":"op1","index":1,"total":2,"eventId":"e1","occurredAt":"2026-01-01T00:00:00Z"}
									""")))
	@GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<SseEmitter> stream(
			@Parameter(description = "Only this batch's events") @RequestParam(required = false) @ValidId(
					max = BatchRequestRules.MAX_BATCH_ID_LENGTH) @Nullable String batchId,
			@Parameter(description = "The id of the last event received; the stream replays every later one "
					+ "first") @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
			@Parameter(
					description = "The same as the Last-Event-ID header, for clients that cannot set headers") @RequestParam(
							name = "lastEventId", required = false) @Nullable String lastEventIdParameter) {
		Long after = parse((lastEventId != null && !lastEventId.isBlank()) ? lastEventId : lastEventIdParameter);
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.header("X-Accel-Buffering", "no")
			.body(this.hub.subscribe(batchId, after));
	}

	private static @Nullable Long parse(@Nullable String lastEventId) {
		if (lastEventId == null || lastEventId.isBlank()) {
			return null;
		}
		try {
			return Math.max(0, Long.parseLong(lastEventId.trim()));
		}
		catch (NumberFormatException ex) {
			throw new ApiException(HttpStatus.BAD_REQUEST,
					"Last-Event-ID must be the number of the last event received (the id: of its frame)");
		}
	}

}
