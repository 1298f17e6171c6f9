package io.veoupscale.gateway.batch;

import java.time.DateTimeException;
import java.time.Instant;

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
import io.veoupscale.store.batch.BatchControl;
import io.veoupscale.store.webhook.WebhookProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The seed's {@code veo3:upscale:multipleAsync} and {@code veo3:upscale:multipleSync}
 * over HTTP, and the state of a batch for a page that was refreshed. Longer than most
 * classes because of the OpenAPI annotations that document each route's answers; the work
 * is in {@link BatchSubmissions}, {@link BatchQueries} and the store's batch control.
 */
@RestController
@RequestMapping("/api/v1/upscale-batches")
@Tag(name = "Batches", description = "Batch upscaling: submit (async or sync) and follow a batch")
class BatchController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	private static final java.util.regex.Pattern KEY_FORMAT = java.util.regex.Pattern.compile("[\\x21-\\x7E]{1,255}");

	private static final String STATUSES = "queued|running|paused|cancelling|completed|cancelled";

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

	private final BatchControl control;

	private final BatchRetries retries;

	private final WebhookUrls urls;

	private final WebhookProperties webhooks;

	BatchController(BatchSubmissions submissions, BatchQueries queries, GatewayProperties properties,
			BatchControl control, BatchRetries retries, WebhookUrls urls, WebhookProperties webhooks) {
		this.urls = urls;
		this.webhooks = webhooks;
		this.submissions = submissions;
		this.queries = queries;
		this.control = control;
		this.retries = retries;
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

	@Operation(summary = "List batches, newest first",
			description = "Every batch this system knows, whoever submitted it: each as GET /api/v1/upscale-batches/{id} "
					+ "shows it, without its items. Filters apply only when given; profileId and projectId match batches "
					+ "with an item of that profile's (project's) videos; since keeps batches accepted at or after it. "
					+ "Page with nextCursor (null on the last page); pages stay stable while batches are added.")
	@ApiResponse(responseCode = "200", description = "A page of batches", content = @Content(examples = @ExampleObject(
			value = "{\"success\":true,\"data\":{\"items\":[{\"batchId\":\"abc123def456\",\"status\":\"running\",\"total\":2,"
					+ "\"successCount\":1,\"failureCount\":0,\"pendingCount\":1,\"delayMs\":1500,"
					+ "\"requestedAt\":\"2026-01-01T00:00:00Z\",\"receivedAt\":\"2026-01-01T00:00:00.2Z\"}],"
					+ "\"nextCursor\":null}}")))
	@ApiResponse(responseCode = "400", description = "A filter, the limit or the cursor is not valid")
	@GetMapping
	io.veoupscale.gateway.web.ApiResponse<BatchQueries.BatchPage> list(@RequestParam(required = false) @Pattern(
			regexp = STATUSES,
			message = "must be one of queued, running, paused, cancelling, completed, cancelled") @Nullable String status,
			@RequestParam(required = false) @ValidId(blankAllowed = true) @Nullable String profileId,
			@RequestParam(required = false) @ValidId(blankAllowed = true) @Nullable String projectId,
			@RequestParam(required = false) @Parameter(description = "An ISO-8601 instant") @Nullable String since,
			@RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit, @RequestParam(required = false) @Parameter(
					description = "The nextCursor of the previous page") @Nullable String cursor) {
		Instant from = null;
		if (since != null && !since.isBlank()) {
			try {
				from = Instant.parse(since);
			}
			catch (DateTimeException ex) {
				throw new ApiException(HttpStatus.BAD_REQUEST,
						"since must be an ISO-8601 instant such as 2026-01-01T00:00:00Z");
			}
		}
		BatchCursor after = null;
		if (cursor != null && !cursor.isBlank()) {
			after = BatchCursor.decode(cursor);
			if (after == null) {
				throw new ApiException(HttpStatus.BAD_REQUEST, "cursor is not a nextCursor this API gave");
			}
		}
		return io.veoupscale.gateway.web.ApiResponse
			.ok(this.queries.list(new BatchQueries.BatchFilter(blankToNull(status), blankToNull(profileId),
					blankToNull(projectId), from, after, limit)));
	}

	@Operation(summary = "Cancel a batch", description = """
			Items not started yet end at once as failed with the error "Batch cancelled"; a start in flight ends as \
			it ends; then the batch completes as cancelled, its completed event carrying cancelledCount. With \
			upstream=true the upscales already started are also cancelled at Flow (flowMedia:cancelGeneration) and \
			recorded as failed with the reason. Cancelling a cancelled batch answers the same again.""")
	@ApiResponse(responseCode = "200", description = "The batch, cancelling or cancelled (without its items)")
	@ApiResponse(responseCode = "404", description = "No batch with this id was ever accepted")
	@ApiResponse(responseCode = "409", description = "The batch has completed, or no worker has taken it in yet",
			content = @Content(examples = @ExampleObject(
					value = "{\"success\":false,\"error\":\"Batch abc123def456 has completed; there is nothing left to cancel\"}")))
	@PostMapping("/{batchId}/cancel")
	io.veoupscale.gateway.web.ApiResponse<BatchView> cancel(
			@PathVariable @ValidId(max = BatchRequestRules.MAX_BATCH_ID_LENGTH) String batchId,
			@RequestParam(defaultValue = "false") @Parameter(
					description = "Also cancel at Flow the upscales already started") boolean upstream,
			@RequestAttribute(ApiClients.REQUEST_ATTRIBUTE) @Parameter(hidden = true) String client) {
		return control(batchId, BatchControl.CANCEL, upstream, client);
	}

	@Operation(summary = "Pause a batch", description = """
			No start of the batch leaves once the pause is recorded (one already in flight completes); the batch \
			is not claimed by any worker until it is resumed, across restarts. Emits veo3:batch:upscale:paused. \
			Pausing a paused batch answers the same again.""")
	@ApiResponse(responseCode = "200", description = "The batch, paused (without its items)")
	@ApiResponse(responseCode = "404", description = "No batch with this id was ever accepted")
	@ApiResponse(responseCode = "409",
			description = "The batch has completed or is cancelled, or no worker has taken it in yet")
	@PostMapping("/{batchId}/pause")
	io.veoupscale.gateway.web.ApiResponse<BatchView> pause(
			@PathVariable @ValidId(max = BatchRequestRules.MAX_BATCH_ID_LENGTH) String batchId,
			@RequestAttribute(ApiClients.REQUEST_ATTRIBUTE) @Parameter(hidden = true) String client) {
		return control(batchId, BatchControl.PAUSE, false, client);
	}

	@Operation(summary = "Resume a paused batch", description = """
			A worker claims the batch again and continues at its next item, delayMs after its last start. Emits \
			veo3:batch:upscale:resumed. Resuming a batch that is not paused answers the same again.""")
	@ApiResponse(responseCode = "200", description = "The batch (without its items)")
	@ApiResponse(responseCode = "404", description = "No batch with this id was ever accepted")
	@ApiResponse(responseCode = "409",
			description = "The batch has completed or is cancelled, or no worker has taken it in yet")
	@PostMapping("/{batchId}/resume")
	io.veoupscale.gateway.web.ApiResponse<BatchView> resume(
			@PathVariable @ValidId(max = BatchRequestRules.MAX_BATCH_ID_LENGTH) String batchId,
			@RequestAttribute(ApiClients.REQUEST_ATTRIBUTE) @Parameter(hidden = true) String client) {
		return control(batchId, BatchControl.RESUME, false, client);
	}

	@Operation(summary = "Retry a batch's failed items as a new batch", description = """
			Starts a new batch of the failed items' sources, with the same models and delay, and answers as the \
			async endpoint does. The body is optional: {"only":"upstream"} retries the items Flow refused or whose \
			upscale failed at Flow, {"only":"validation"} those that failed this system's checks, {"only":"all"} \
			(the default) every failed item, cancelled ones included. The new batch's state has retryOf, this \
			batch's state lists it in retriedBy.""")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = false,
			content = @Content(schema = @Schema(implementation = RetryBody.class),
					examples = @ExampleObject(value = "{\"only\":\"upstream\"}")))
	@ApiResponse(responseCode = "202", description = "The retry batch was queued",
			content = @Content(schema = @Schema(implementation = AcceptedAnswer.class)))
	@ApiResponse(responseCode = "400", description = "only is not one of upstream, validation, all")
	@ApiResponse(responseCode = "404", description = "No batch with this id was ever accepted")
	@ApiResponse(responseCode = "409", description = "No item of the batch failed (of that kind)",
			content = @Content(examples = @ExampleObject(
					value = "{\"success\":false,\"error\":\"Batch abc123def456 has no failed items to retry\"}")))
	@ApiResponse(responseCode = "503", description = "Kafka is unavailable; nothing was started")
	@PostMapping(path = "/{batchId}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> retry(@PathVariable @ValidId(max = BatchRequestRules.MAX_BATCH_ID_LENGTH) String batchId,
			@RequestBody(required = false) @Parameter(hidden = true) @Nullable JsonNode body) {
		String only = BatchRetries.ALL;
		if (body != null && !body.isNull() && !body.isMissingNode()) {
			if (!body.isObject()) {
				throw new ApiException(HttpStatus.BAD_REQUEST,
						"The body must be a JSON object such as {\"only\":\"all\"}");
			}
			for (String name : body.propertyNames()) {
				if (!"only".equals(name)) {
					throw new ApiException(HttpStatus.BAD_REQUEST,
							"Unknown field " + BatchRequestRules.quote(name, 64) + "; the body may only hold only");
				}
			}
			JsonNode kind = body.get("only");
			if (kind != null && !kind.isNull()) {
				if (!kind.isString()) {
					throw new ApiException(HttpStatus.BAD_REQUEST, "only must be one of upstream, validation, all");
				}
				only = BatchRetries.kind(kind.asString());
			}
		}
		return entity(this.retries.retry(batchId, only));
	}

	private io.veoupscale.gateway.web.ApiResponse<BatchView> control(String batchId, String command, boolean upstream,
			String client) {
		BatchControl.Result result = this.control.apply(batchId, command, upstream, null, "api client " + client);
		return switch (result.outcome()) {
			case APPLIED, UNCHANGED -> io.veoupscale.gateway.web.ApiResponse.ok(this.queries.summary(batchId)
				.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "Batch " + batchId + " not found")));
			case NOT_FOUND -> throw new ApiException(HttpStatus.NOT_FOUND, result.message());
			case CONFLICT, QUEUED -> throw new ApiException(HttpStatus.CONFLICT, result.message());
		};
	}

	private static @Nullable String blankToNull(@Nullable String text) {
		return (text == null || text.isBlank()) ? null : text;
	}

	/**
	 * The optional body of a retry.
	 *
	 * @param only which failed items: {@code upstream}, {@code validation} or {@code all}
	 */
	@Schema(name = "BatchRetryRequest")
	record RetryBody(@Schema(allowableValues = {
			"upstream", "validation", "all" }, defaultValue = "all") @Nullable String only){

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
