package io.veoupscale.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bearer-authenticated video API: starting upscales, checking their status and
 * reading an account's credits, as {@code aisandbox-pa.googleapis.com} answers them in
 * either dialect (a start without the v2 fields is v1's, a check of {@code operations[]}
 * too). Longer than most classes: it holds the request and answer shapes of both dialects
 * as records, next to the routes that read and write them.
 */
@RestController
class VideoApiController {

	private static final Logger logger = LoggerFactory.getLogger(VideoApiController.class);

	private final SimulatorState state;

	private final FaultInjector faults;

	private final MediaLinks links;

	VideoApiController(SimulatorState state, FaultInjector faults, MediaLinks links) {
		this.state = state;
		this.faults = faults;
		this.links = links;
	}

	@PostMapping("/v1/video:batchAsyncGenerateVideoUpsampleVideo")
	Object start(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
			@RequestBody StartRequest body, @RequestAttribute(ArrivalTimeFilter.ATTRIBUTE) Instant receivedAt) {
		List<SceneRequest> scenes = body.scenes();
		String projectId = body.projectId();
		Optional<AccessGrant> grant = this.state.grantFor(bearerToken(authorization));
		if (grant.isEmpty()) {
			throw reject(scenes, projectId, null, receivedAt, RpcException.unauthenticated());
		}
		String account = grant.get().account();
		String missing = body.firstMissingField();
		if (missing != null) {
			throw reject(scenes, projectId, account, receivedAt,
					RpcException.invalidArgument("Missing required field: " + missing));
		}
		RpcException overclaim = this.state.overclaim(account, body.claimedTier());
		if (overclaim != null) {
			throw reject(scenes, projectId, account, receivedAt, overclaim);
		}
		Optional<FaultRule> fault = this.faults.apply(FaultTarget.START, account, grant.get().sessionToken(),
				(outcome) -> {
					this.state.recordStarts(scenes, projectId, account, receivedAt, outcome);
					logStart(account, scenes, outcome);
				});
		List<String> failure = fault.filter((rule) -> rule.kind() == FaultKind.FAIL_OPERATION)
			.map(FaultRule::failureReasons)
			.orElse(null);
		SimulatorState.StartResult result = this.state.start(scenes, projectId, account, receivedAt, failure,
				body.isV2());
		logStart(account, scenes, outcomeOf(result));
		Optional<RuntimeException> afterWork = fault.flatMap(FaultRule::failureAfterWork);
		if (afterWork.isPresent()) {
			throw afterWork.get();
		}
		if (result.conflictingSceneId() != null) {
			throw RpcException.generationInProgress(result.conflictingSceneId(), result.conflictingOperation());
		}
		if (result.refusal() != null) {
			throw result.refusal();
		}
		int credits = (result.remainingCredits() != null) ? result.remainingCredits() : 0;
		return body.isV2() ? startResponse(result.scenes(), credits) : v1StartResponse(result.scenes(), credits);
	}

	@PostMapping("/v1/video:batchCheckAsyncVideoGenerationStatus")
	Object check(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
			@RequestBody CheckRequest body, @RequestAttribute(ArrivalTimeFilter.ATTRIBUTE) Instant receivedAt) {
		List<String> names = body.names();
		Optional<AccessGrant> grant = this.state.grantFor(bearerToken(authorization));
		String account = grant.map(AccessGrant::account).orElse(null);
		if (grant.isEmpty()) {
			recordCheck(new CheckCall(receivedAt, null, names, "401"));
			throw RpcException.unauthenticated();
		}
		if (names.isEmpty() || names.contains("")) {
			recordCheck(new CheckCall(receivedAt, account, names, "400"));
			throw RpcException.invalidArgument(body.isV1() ? "Missing required field: operations[].operation.name"
					: "Missing required field: media[].name");
		}
		Optional<FaultRule> fault = this.faults.apply(FaultTarget.CHECK, account, grant.get().sessionToken(),
				(outcome) -> recordCheck(new CheckCall(receivedAt, account, names, outcome)));
		Instant now = this.state.now();
		List<Optional<SimulatedOperation>> operations = this.state.operations(names);
		List<MediaEntry> media = new ArrayList<>(names.size());
		List<OperationEntry> v1 = new ArrayList<>(names.size());
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			Optional<SimulatedOperation> operation = operations.get(i);
			GenerationStatus status = operation.map((known) -> this.state.statusOf(known, now))
				.orElse(GenerationStatus.UNKNOWN_SIM);
			List<String> reasons = operation.map((known) -> this.state.failureReasons(known, now)).orElse(List.of());
			if (body.isV1()) {
				VideoMetadata video = operation.filter((known) -> this.state.mediaReady(known, now))
					.map((known) -> new VideoMetadata(known.name(), this.links.linkTo(known).toString(), null))
					.orElse(null);
				v1.add(new OperationEntry(
						new OperationName(name, (video != null) ? new OperationMetadata(video) : null),
						body.sceneIdOf(i), status.wireName(), reasons));
			}
			else {
				media.add(MediaEntry.of(name, status, reasons));
			}
		}
		recordCheck(new CheckCall(receivedAt, account, names, "200"));
		Optional<RuntimeException> afterWork = fault.flatMap(FaultRule::failureAfterWork);
		if (afterWork.isPresent()) {
			throw afterWork.get();
		}
		int credits = this.state.creditsOf(account);
		return body.isV1() ? new OperationsResponse(v1, credits) : new CheckResponse(media, credits);
	}

	@GetMapping("/v1/credits")
	CreditsResponse credits(
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
		AccessGrant grant = this.state.grantFor(bearerToken(authorization)).orElseThrow(RpcException::unauthenticated);
		SimulatedAccount.View account = this.state.accountView(grant.account());
		logger.info("Credits call of account {}: {} credits, {}", account.account(), account.credits(), account.tier());
		return new CreditsResponse(account.credits(), account.tier(), "SIMULATED_SKU", "SIMULATED_SERVICE_TIER",
				account.credits());
	}

	/**
	 * {@code POST /v1/flowMedia:cancelGeneration} {@code {"mediaId":".."}}: cancels a
	 * running generation of the caller's account; one that has ended answers
	 * {@code MEDIA_GENERATION_CANNOT_BE_CANCELED}.
	 */
	@PostMapping("/v1/flowMedia:cancelGeneration")
	Map<String, Object> cancelGeneration(
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
			@RequestBody Map<String, Object> body, @RequestAttribute(ArrivalTimeFilter.ATTRIBUTE) Instant receivedAt) {
		AccessGrant grant = this.state.grantFor(bearerToken(authorization)).orElseThrow(RpcException::unauthenticated);
		Object mediaId = body.get("mediaId");
		if (!(mediaId instanceof String media) || media.isBlank()) {
			throw RpcException.invalidArgument("Missing required field: mediaId");
		}
		String outcome = this.state.cancel(grant.account(), media, receivedAt);
		logger.info("Cancel by account {} of {}: {}", grant.account(), media, outcome);
		return switch (outcome) {
			case CancelCall.CANCELLED -> Map.of();
			case "404" -> throw RpcException.notFound("Media " + media + " not found");
			default -> throw new RpcException(400, "FAILED_PRECONDITION", "The generation has ended",
					"MEDIA_GENERATION_CANNOT_BE_CANCELED", null);
		};
	}

	private static String outcomeOf(SimulatorState.StartResult result) {
		if (result.conflictingSceneId() != null) {
			return "409";
		}
		if (result.refusal() != null) {
			return String.valueOf(result.refusal().httpStatus());
		}
		return result.scenes()
			.stream()
			.map((scene) -> scene.existing() ? StartCall.EXISTING : StartCall.ACCEPTED)
			.distinct()
			.reduce((a, b) -> a + "/" + b)
			.orElse(StartCall.ACCEPTED);
	}

	private RpcException reject(List<SceneRequest> scenes, @Nullable String projectId, @Nullable String account,
			Instant receivedAt, RpcException error) {
		String outcome = String.valueOf(error.httpStatus());
		this.state.recordStarts(scenes, projectId, account, receivedAt, outcome);
		logStart(account, scenes, outcome);
		return error;
	}

	private void recordCheck(CheckCall call) {
		this.state.recordCheck(call);
		logger.info("Check by account {} of {} operation(s): {}", call.account(), call.names().size(), call.outcome());
	}

	private Object startResponse(List<SimulatorState.StartedScene> scenes, int credits) {
		Instant now = this.state.now();
		if (this.state.properties().startResponse() == SimulatorProperties.StartResponse.MEDIA) {
			return new MediaStartResponse(
					scenes.stream()
						.map((scene) -> MediaEntry.of(scene.operation().name(),
								this.state.statusOf(scene.operation(), now), List.of()))
						.toList(),
					scenes.stream()
						.map((scene) -> new Workflow(UUID.randomUUID().toString(),
								new WorkflowMetadata(scene.operation().name())))
						.toList(),
					credits);
		}
		return new OperationsResponse(scenes.stream()
			.map((scene) -> new OperationEntry(new OperationName(scene.operation().name(), null),
					String.valueOf(scene.request().sceneId()), this.state.statusOf(scene.operation(), now).wireName(),
					null))
			.toList(), credits);
	}

	/**
	 * The v1 answer: an upscale that already finished comes back at once with its video
	 * inline ({@code rawBytes}) and, as v1 did, no operation name.
	 */
	private OperationsResponse v1StartResponse(List<SimulatorState.StartedScene> scenes, int credits) {
		Instant now = this.state.now();
		List<OperationEntry> operations = new ArrayList<>();
		for (SimulatorState.StartedScene scene : scenes) {
			SimulatedOperation operation = scene.operation();
			GenerationStatus status = this.state.statusOf(operation, now);
			OperationName name = (scene.existing() && this.state.mediaReady(operation, now))
					? new OperationName(null,
							new OperationMetadata(new VideoMetadata(operation.name(), null,
									Base64.getEncoder().encodeToString(LabsController.videoBytes(operation.name())))))
					: new OperationName(operation.name(), null);
			operations
				.add(new OperationEntry(name, String.valueOf(scene.request().sceneId()), status.wireName(), null));
		}
		return new OperationsResponse(operations, credits);
	}

	private static void logStart(@Nullable String account, List<SceneRequest> scenes, String outcome) {
		logger.info("Start by account {} for scene(s) {}: {}", account,
				scenes.stream().map(SceneRequest::sceneId).toList(), outcome);
	}

	static @Nullable String bearerToken(@Nullable String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		return authorization.substring(7).trim();
	}

	/** The v2 start body; only what the simulator checks or logs is declared. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record StartRequest(@Nullable Map<String, Object> mediaGenerationContext, @Nullable ClientContext clientContext,
			@Nullable List<UpsampleRequest> requests, @Nullable Boolean useV2ModelConfig) {

		@Nullable String projectId() {
			return (this.clientContext != null) ? this.clientContext.projectId() : null;
		}

		@Nullable String claimedTier() {
			return (this.clientContext != null) ? this.clientContext.userPaygateTier() : null;
		}

		/**
		 * Whether the body is in the 2026 dialect: v1 sent neither
		 * {@code mediaGenerationContext} nor {@code useV2ModelConfig}.
		 */
		boolean isV2() {
			return Boolean.TRUE.equals(this.useV2ModelConfig) || this.mediaGenerationContext != null;
		}

		List<SceneRequest> scenes() {
			if (this.requests == null) {
				return List.of();
			}
			return this.requests.stream()
				.map((request) -> (request != null) ? request.scene() : SceneRequest.EMPTY)
				.toList();
		}

		@Nullable String firstMissingField() {
			if (this.requests == null || this.requests.isEmpty()) {
				return "requests";
			}
			for (int i = 0; i < this.requests.size(); i++) {
				UpsampleRequest request = this.requests.get(i);
				SceneRequest scene = (request != null) ? request.scene() : SceneRequest.EMPTY;
				if (isBlank(scene.mediaId())) {
					return "requests[" + i + "].videoInput.mediaId";
				}
				if (isBlank(scene.sceneId())) {
					return "requests[" + i + "].metadata.sceneId";
				}
				if (isBlank(scene.model())) {
					return "requests[" + i + "].videoModelKey";
				}
				if (isBlank(scene.aspectRatio())) {
					return "requests[" + i + "].aspectRatio";
				}
			}
			return null;
		}

		private static boolean isBlank(@Nullable String value) {
			return value == null || value.isBlank();
		}

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record ClientContext(@Nullable String sessionId, @Nullable String projectId, @Nullable String tool,
			@Nullable Map<String, Object> recaptchaContext, @Nullable String userPaygateTier) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record UpsampleRequest(@Nullable String aspectRatio, @Nullable String resolution, @Nullable Long seed,
			@Nullable VideoInput videoInput, @Nullable String videoModelKey, @Nullable SceneMetadata metadata) {

		SceneRequest scene() {
			return new SceneRequest((this.metadata != null) ? this.metadata.sceneId() : null,
					(this.videoInput != null) ? this.videoInput.mediaId() : null, this.videoModelKey, this.resolution,
					this.aspectRatio);
		}

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record VideoInput(@Nullable String mediaId) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record SceneMetadata(@Nullable String sceneId) {

	}

	record OperationsResponse(List<OperationEntry> operations, int remainingCredits) {

	}

	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	record OperationEntry(OperationName operation, String sceneId, String status,
			@Nullable List<String> failureReasons) {

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record OperationName(@Nullable String name, @Nullable OperationMetadata metadata) {

	}

	record OperationMetadata(VideoMetadata video) {

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record VideoMetadata(String mediaGenerationId, @Nullable String fifeUrl, @Nullable String rawBytes) {

	}

	record MediaStartResponse(List<MediaEntry> media, List<Workflow> workflows, int remainingCredits) {

	}

	record Workflow(String name, WorkflowMetadata metadata) {

	}

	record WorkflowMetadata(String primaryMediaId) {

	}

	/** The check body: {@code media[]} in v2, {@code operations[]} in v1. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record CheckRequest(@Nullable List<MediaName> media, @Nullable List<CheckedOperation> operations) {

		boolean isV1() {
			return this.media == null && this.operations != null;
		}

		List<String> names() {
			if (isV1()) {
				return this.operations.stream()
					.map((entry) -> (entry != null && entry.operation() != null && entry.operation().name() != null)
							? entry.operation().name() : "")
					.toList();
			}
			if (this.media == null) {
				return List.of();
			}
			return this.media.stream()
				.map((entry) -> (entry != null && entry.name() != null) ? entry.name() : "")
				.toList();
		}

		String sceneIdOf(int index) {
			CheckedOperation operation = (this.operations != null) ? this.operations.get(index) : null;
			return (operation != null && operation.sceneId() != null) ? operation.sceneId() : "";
		}

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record CheckedOperation(@Nullable MediaName operation, @Nullable String sceneId, @Nullable String status) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record MediaName(@Nullable String name, @Nullable String projectId) {

	}

	record CheckResponse(List<MediaEntry> media, int remainingCredits) {

	}

	record MediaEntry(String name, MediaMetadata mediaMetadata) {

		static MediaEntry of(String name, GenerationStatus status, List<String> failureReasons) {
			return new MediaEntry(name, new MediaMetadata(new MediaStatus(status.wireName(), failureReasons)));
		}

	}

	record MediaMetadata(MediaStatus mediaStatus) {

	}

	record MediaStatus(String mediaGenerationStatus, List<String> failureReasons) {

	}

	/** {@code GET /v1/credits}. */
	record CreditsResponse(int credits, String userPaygateTier, String sku, String serviceTier,
			int subscriptionCredits) {

	}

}
