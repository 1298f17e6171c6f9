package io.veoupscale.gateway.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.veoupscale.events.BatchRequestRules;
import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.gateway.web.ApiResponse;
import io.veoupscale.gateway.web.JsonFields;
import io.veoupscale.store.webhook.Subscription;
import io.veoupscale.store.webhook.WebhookDeliveries;
import io.veoupscale.store.webhook.WebhookSubscriptions;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook subscriptions: register one (its secret is in this answer only), list, read and
 * remove them, see their deliveries and send one again.
 */
@RestController
@RequestMapping("/api/v1/webhooks")
@Tag(name = "Webhooks",
		description = "Batch and upscale events posted to your HTTP endpoint, signed per the "
				+ "Standard Webhooks specification and retried")
@Validated
class WebhookController {

	private static final int MAX_DESCRIPTION_LENGTH = 500;

	private static final String CREATE_EXAMPLE = """
			{"url":"https://example.com/hooks/upscale","events":["veo3:batch:upscale:completed","veo3:upscale:status"],"description":"render farm"}""";

	private static final String INVALID_EXAMPLE = """
			{"success":false,"error":"url host 169.254.169.254 resolves to 169.254.169.254, a link-local address (cloud metadata lives there); webhooks reach public addresses only unless UPSCALE_WEBHOOKS_ALLOWED_CIDRS allows it"}""";

	private final WebhookSubscriptions subscriptions;

	private final WebhookDeliveries deliveries;

	private final WebhookUrls urls;

	private final Clock clock;

	private final DeliverySignal signal;

	WebhookController(WebhookSubscriptions subscriptions, WebhookDeliveries deliveries, WebhookUrls urls, Clock clock,
			DeliverySignal signal) {
		this.signal = signal;
		this.subscriptions = subscriptions;
		this.deliveries = deliveries;
		this.urls = urls;
		this.clock = clock;
	}

	@Operation(summary = "Subscribe an HTTP endpoint to events", description = """
			Every event of the named types (of one batch if batchId is given) is posted to url as the event's JSON, \
			exactly as on the events topic, with the headers webhook-id, webhook-timestamp and webhook-signature \
			(Standard Webhooks). The answer holds the signing secret (whsec_...): it is never shown again.""")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(schema = @Schema(implementation = SubscriptionRequest.class),
					examples = @ExampleObject(value = CREATE_EXAMPLE)))
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201",
			description = "Subscribed; the secret is shown only here")
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400",
			description = "A field breaks a rule, or the URL is not http(s) or reaches an internal address",
			content = @Content(examples = @ExampleObject(value = INVALID_EXAMPLE)))
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ApiResponse<CreatedAnswer>> create(@RequestBody @Parameter(hidden = true) JsonNode body) {
		if (body == null || !body.isObject()) {
			throw invalid("Request body must be a JSON object with url and events");
		}
		List<String> problems = new ArrayList<>();
		String url = JsonFields.text(body.get("url"), "url must be a string", problems);
		List<String> events = events(body.get("events"), problems);
		String batchId = JsonFields.text(body.get("batchId"), "batchId must be a string", problems);
		if (batchId != null) {
			String problem = BatchRequestRules.idProblem(batchId, BatchRequestRules.MAX_BATCH_ID_LENGTH);
			if (problem != null) {
				problems.add("batchId " + problem);
			}
		}
		String description = JsonFields.text(body.get("description"), "description must be a string", problems);
		if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
			problems.add("description must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
		}
		if (url == null && problems.isEmpty()) {
			problems.add("url must be an http or https URL");
		}
		if (!problems.isEmpty()) {
			throw invalid(String.join("; ", problems));
		}
		String checked = this.urls.check("url", url);
		WebhookSubscriptions.Created created = this.subscriptions.create(checked, events, batchId, description);
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(ApiResponse.ok(new CreatedAnswer(created.subscription(), created.secret())));
	}

	@Operation(summary = "Every subscription, newest first (never their secrets)")
	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	ApiResponse<List<Subscription>> list(@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
		return ApiResponse.ok(this.subscriptions.list(limit));
	}

	@Operation(summary = "A subscription (never its secret)")
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "No such subscription")
	@GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	ApiResponse<Subscription> get(@PathVariable String id) {
		return ApiResponse.ok(this.subscriptions.find(id).orElseThrow(() -> notFound(id)));
	}

	@Operation(summary = "Unsubscribe", description = "Removes the subscription and its deliveries, sent or not.")
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "No such subscription")
	@DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	ApiResponse<Map<String, Object>> delete(@PathVariable String id) {
		if (!this.subscriptions.delete(id)) {
			throw notFound(id);
		}
		return ApiResponse.ok(Map.of("id", id, "deleted", true));
	}

	@Operation(summary = "The latest deliveries of a subscription",
			description = "Newest first: status (pending, delivered, failed), attempts, the receiver's last HTTP "
					+ "status and error, and the next attempt of a pending one.")
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404", description = "No such subscription")
	@GetMapping(path = "/{id}/deliveries", produces = MediaType.APPLICATION_JSON_VALUE)
	ApiResponse<List<WebhookDeliveries.Delivery>> deliveries(@PathVariable String id,
			@RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
		this.subscriptions.find(id).orElseThrow(() -> notFound(id));
		return ApiResponse.ok(this.deliveries.recent(id, limit));
	}

	@Operation(summary = "Send a delivery again",
			description = "Queues it now with the same webhook-id (receivers that drop repeats drop it); its retry "
					+ "period starts anew.")
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "Queued")
	@io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "404",
			description = "No such subscription or delivery")
	@PostMapping(path = "/{id}/deliveries/{deliveryId}/redeliver", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ApiResponse<Map<String, Object>>> redeliver(@PathVariable String id,
			@PathVariable String deliveryId) {
		Instant now = this.clock.instant();
		if (!this.deliveries.redeliver(id, deliveryId, now)) {
			throw new ApiException(HttpStatus.NOT_FOUND,
					"Delivery " + deliveryId + " of webhook subscription " + id + " not found");
		}
		this.signal.signal();
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(ApiResponse.ok(Map.of("id", deliveryId, "status", "pending", "nextAttemptAt", now)));
	}

	private static List<String> events(@Nullable JsonNode node, List<String> problems) {
		String rule = "events must be a non-empty array of event types, among "
				+ String.join(", ", WebhookSubscriptions.EVENT_TYPES.stream().sorted().toList());
		if (node == null || node.isNull() || !node.isArray() || node.isEmpty()) {
			problems.add(rule);
			return List.of();
		}
		Set<String> events = new LinkedHashSet<>();
		for (int i = 0; i < node.size(); i++) {
			JsonNode event = node.get(i);
			if (!event.isString() || !WebhookSubscriptions.EVENT_TYPES.contains(event.stringValue())) {
				problems.add("events[" + i + "] is not an event type; " + rule);
			}
			else {
				events.add(event.stringValue());
			}
		}
		return List.copyOf(events);
	}

	private static ApiException invalid(String message) {
		return new ApiException(HttpStatus.BAD_REQUEST, message);
	}

	private static ApiException notFound(String id) {
		return new ApiException(HttpStatus.NOT_FOUND, "Webhook subscription " + id + " not found");
	}

	/**
	 * The body of a subscription request, for the API document.
	 *
	 * @param url the receiver, http or https, at a public address
	 * @param events the event types to receive
	 * @param batchId only this batch's events
	 * @param description a note
	 */
	@Schema(name = "WebhookSubscriptionRequest")
	record SubscriptionRequest(
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
					example = "https://example.com/hooks/upscale") String url,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {
					"veo3:batch:upscale:started", "veo3:batch:upscale:progress", "veo3:batch:upscale:completed",
					"veo3:upscale:status" }) List<String> events,
			@Nullable String batchId, @Nullable String description){
	}

	/**
	 * A new subscription with its secret.
	 *
	 * @param id the subscription id
	 * @param url the receiver
	 * @param events the event types
	 * @param batchId the only batch, if any
	 * @param description the note
	 * @param origin {@code api}
	 * @param status {@code active}
	 * @param createdAt when it was registered
	 * @param secret the Standard Webhooks signing secret, {@code whsec_...}: shown only
	 * here
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record CreatedAnswer(String id, String url, List<String> events, @Nullable String batchId,
			@Nullable String description, String origin, String status, Instant createdAt, String secret) {

		CreatedAnswer(Subscription subscription, String secret) {
			this(subscription.id(), subscription.url(), subscription.events(), subscription.batchId(),
					subscription.description(), subscription.origin(), subscription.status(), subscription.createdAt(),
					secret);
		}

	}

}
