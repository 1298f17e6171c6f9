package io.veoupscale.gateway.batch;

import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.veoupscale.events.BatchRequestRules;
import io.veoupscale.gateway.GatewayProperties;
import io.veoupscale.gateway.web.ApiClients;
import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.gateway.web.ValidId;
import io.veoupscale.gateway.webhook.WebhookUrls;
import io.veoupscale.store.webhook.WebhookProperties;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The seed's {@code veo3:upscale:multipleAsync} and {@code veo3:upscale:multipleSync}
 * over HTTP, and the state of a batch for a page that was refreshed.
 */
@RestController
@RequestMapping("/api/v1/upscale-batches")
@Tag(name = "Batches", description = "Batch upscaling: submit (async or sync) and follow a batch")
class BatchController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	private static final Pattern KEY_FORMAT = Pattern.compile("[\\x21-\\x7E]{1,255}");

	private static final String INVALID_EXAMPLE = """
			{"success":false,"error":"requests[1].sourceGenerationId must not be blank; delayMs must be an integer from 0 to 60000"}""";

	private static final String UNAVAILABLE_EXAMPLE = """
			{"success":false,"error":"The batch could not be queued (message broker unavailable); nothing was started, try again"}""";

	private static final String SYNC_EXAMPLE = """
			{"success":true,"data":[{"success":true,"upscaleId":"upscale1","sceneId":"scene1","operationName":"op1","sourceGenerationId":"gen1"},{"success":false,"error":"Source video must be completed before upscaling","sourceGenerationId":"gen2"}],"batchId":"abc123def456","complete":true}""";

	private static final String SYNC_INCOMPLETE_EXAMPLE = """
			{"success":true,"data":[{"success":true,"upscaleId":"upscale1","sceneId":"scene1","operationName":"op1","sourceGenerationId":"gen1"},{"success":false,"error":"Not initiated yet: the sync timeout passed; the batch goes on in the background","sourceGenerationId":"gen2","pending":true}],"batchId":"abc123def456","complete":false,"message":"Incomplete: not every item was initiated within the sync timeout; the batch goes on in the background. Follow it with GET /api/v1/upscale-batches/abc123def456 or GET /api/v1/events?batchId=abc123def456"}""";

	private final BatchSubmissions submissions;

	private final BatchQueries queries;

	private final BatchSubmissionReader reader;

	private final WebhookUrls urls;

	private final WebhookProperties webhooks;

	BatchController(BatchSubmissions submissions, BatchQueries queries, GatewayProperties properties, WebhookUrls urls,
			WebhookProperties webhooks) {
		this.urls = urls;
		this.webhooks = webhooks;
		this.submissions = submissions;
		this.queries = queries;
		this.reader = new BatchSubmissionReader(
				new BatchRequestRules(properties.maxItemsPerBatch(), properties.allowedModels()));
	}

	@Operation(summary = "Upscale a batch asynchronously (veo3:upscale:multipleAsync)",
			description = "Answers once the batch is durably in Kafka; progress arrives as events.")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(schema = @Schema(implementation = BatchSubmission.class)))
	@ApiResponse(responseCode = "202", description = "The batch was queued",
			content = @Content(schema = @Schema(implementation = AcceptedAnswer.class)))
	@ApiResponse(responseCode = "400", description = "The request breaks a rule; the error names the field",
			content = @Content(examples = @ExampleObject(value = INVALID_EXAMPLE)))
	@ApiResponse(responseCode = "409", description = "A request with this Idempotency-Key is still in progress")
	@ApiResponse(responseCode = "415", description = "Content-Type is not application/json")
	@ApiResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request")
	@ApiResponse(responseCode = "503", description = "Kafka is unavailable; nothing was started",
			content = @Content(examples = @ExampleObject(value = UNAVAILABLE_EXAMPLE)))
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> submitAsync(@RequestBody @Parameter(hidden = true) JsonNode body,
			@Parameter(description = "Replays the first answer for the same key and body within 24 h") @RequestHeader(
					name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
			@RequestAttribute(ApiClients.REQUEST_ATTRIBUTE) @Parameter(hidden = true) String client) {
		BatchSubmission submission = withCheckedCallback(this.reader.read(body));
		return entity(
				this.submissions.submit(submission, BatchSubmissions.Mode.ASYNC, idempotency(client, idempotencyKey))
					.join());
	}

	@Operation(summary = "Upscale a batch and wait (veo3:upscale:multipleSync)", description = """
			Waits until every item is initiated (or failed), up to the configured sync timeout, and answers with \
			one result per item in request order. Past the timeout the answer is 202 with complete=false, the \
			batchId and what is known so far; pending items carry "pending":true, and the batch goes on.""")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(schema = @Schema(implementation = BatchSubmission.class)))
	@ApiResponse(responseCode = "200", description = "Every item was initiated or failed",
			content = @Content(schema = @Schema(implementation = SyncAnswer.class),
					examples = @ExampleObject(value = SYNC_EXAMPLE)))
	@ApiResponse(responseCode = "202", description = "The sync timeout passed first; the batch goes on",
			content = @Content(schema = @Schema(implementation = SyncAnswer.class),
					examples = @ExampleObject(value = SYNC_INCOMPLETE_EXAMPLE)))
	@ApiResponse(responseCode = "400", description = "The request breaks a rule; the error names the field",
			content = @Content(examples = @ExampleObject(value = INVALID_EXAMPLE)))
	@ApiResponse(responseCode = "409", description = "A request with this Idempotency-Key is still in progress")
	@ApiResponse(responseCode = "415", description = "Content-Type is not application/json")
	@ApiResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request")
	@ApiResponse(responseCode = "503", description = "Kafka is unavailable; nothing was started",
			content = @Content(examples = @ExampleObject(value = UNAVAILABLE_EXAMPLE)))
	@PostMapping(path = "/sync", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	DeferredResult<ResponseEntity<String>> submitSync(@RequestBody @Parameter(hidden = true) JsonNode body,
			@Parameter(description = "Replays the first answer for the same key and body within 24 h") @RequestHeader(
					name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
			@RequestAttribute(ApiClients.REQUEST_ATTRIBUTE) @Parameter(hidden = true) String client) {
		BatchSubmission submission = withCheckedCallback(this.reader.read(body));
		DeferredResult<ResponseEntity<String>> result = new DeferredResult<>(
				this.submissions.timeout(BatchSubmissions.Mode.SYNC).plusSeconds(30).toMillis());
		this.submissions.submit(submission, BatchSubmissions.Mode.SYNC, idempotency(client, idempotencyKey))
			.whenComplete((answer, ex) -> {
				if (ex != null) {
					result.setErrorResult(BatchSubmissions.unwrap(ex));
				}
				else {
					result.setResult(entity(answer));
				}
			});
		return result;
	}

	@Operation(summary = "The state of a batch",
			description = "Status, counts, delay, timestamps and every item with its upscale, for a page that was "
					+ "refreshed. From the 202 until a worker receives the batch it is queued, with acceptedAt and "
					+ "each item's index, sourceGenerationId and model only.")
	@ApiResponse(responseCode = "200", description = "The batch")
	@ApiResponse(responseCode = "404", description = "No batch with this id was ever accepted", content = @Content(
			examples = @ExampleObject(value = "{\"success\":false,\"error\":\"Batch abc123def456 not found\"}")))
	@GetMapping("/{batchId}")
	io.veoupscale.gateway.web.ApiResponse<BatchView> get(
			@PathVariable @ValidId(max = BatchRequestRules.MAX_BATCH_ID_LENGTH) String batchId) {
		return io.veoupscale.gateway.web.ApiResponse.ok(this.queries.find(batchId)
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Batch " + batchId + " not found")));
	}

	/**
	 * Checks a callbackUrl as a registered webhook's URL is checked, and that the
	 * deployment can sign its deliveries.
	 */
	private BatchSubmission withCheckedCallback(BatchSubmission submission) {
		if (submission.callbackUrl() == null) {
			return submission;
		}
		String url = this.urls.check("callbackUrl", submission.callbackUrl());
		if (this.webhooks.callbackSecret() == null) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "callbackUrl is not available on this deployment: "
					+ "no callback secret is configured (UPSCALE_WEBHOOKS_CALLBACK_SECRET) to sign its deliveries; "
					+ "register a webhook with POST /api/v1/webhooks instead");
		}
		return submission.withCallbackUrl(url);
	}

	private static BatchSubmissions.@Nullable Idempotency idempotency(String client, @Nullable String key) {
		if (key == null) {
			return null;
		}
		if (!KEY_FORMAT.matcher(key).matches()) {
			throw new ApiException(HttpStatus.BAD_REQUEST,
					IDEMPOTENCY_KEY + " must be 1 to 255 visible ASCII characters without spaces");
		}
		return new BatchSubmissions.Idempotency(client, key);
	}

	private static ResponseEntity<String> entity(BatchSubmissions.Answer answer) {
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(answer.status())
			.contentType(MediaType.APPLICATION_JSON);
		if (answer.replayed()) {
			builder.header(REPLAYED, "true");
		}
		return builder.body(answer.body());
	}

}
