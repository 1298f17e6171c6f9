package io.veoupscale.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bearer-authenticated video API: starting upscales and checking their status, as
 * {@code aisandbox-pa.googleapis.com} answers them in the v2 dialect.
 */
@RestController
class VideoApiController {

	private static final Logger logger = LoggerFactory.getLogger(VideoApiController.class);

	private static final int REMAINING_CREDITS = 240;

	private final SimulatorState state;

	private final FaultInjector faults;

	VideoApiController(SimulatorState state, FaultInjector faults) {
		this.state = state;
		this.faults = faults;
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
		Optional<FaultRule> fault = this.faults.apply(FaultTarget.START, account, grant.get().sessionToken(),
				(outcome) -> {
					this.state.recordStarts(scenes, projectId, account, receivedAt, outcome);
					logStart(account, scenes, outcome);
				});
		List<String> failure = fault.filter((rule) -> rule.kind() == FaultKind.FAIL_OPERATION)
			.map(FaultRule::failureReasons)
			.orElse(null);
		SimulatorState.StartResult result = this.state.start(scenes, projectId, account, receivedAt, failure);
		logStart(account, scenes, (result.conflictingSceneId() != null) ? "409" : StartCall.ACCEPTED);
		Optional<RuntimeException> afterWork = fault.flatMap(FaultRule::failureAfterWork);
		if (afterWork.isPresent()) {
			throw afterWork.get();
		}
		if (result.conflictingSceneId() != null) {
			throw RpcException.generationInProgress(result.conflictingSceneId(), result.conflictingOperation());
		}
		return startResponse(result.operations());
	}

	@PostMapping("/v1/video:batchCheckAsyncVideoGenerationStatus")
	CheckResponse check(
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
			@RequestBody CheckRequest body, @RequestAttribute(ArrivalTimeFilter.ATTRIBUTE) Instant receivedAt) {
		List<String> names = body.names();
		Optional<AccessGrant> grant = this.state.grantFor(bearerToken(authorization));
		String account = grant.map(AccessGrant::account).orElse(null);
		if (grant.isEmpty()) {
			recordCheck(new CheckCall(receivedAt, null, names, "401"));
			throw RpcException.unauthenticated();
		}
		if (body.media() == null || body.media().isEmpty() || names.contains("")) {
			recordCheck(new CheckCall(receivedAt, account, names, "400"));
			throw RpcException.invalidArgument("Missing required field: media[].name");
		}
		Optional<FaultRule> fault = this.faults.apply(FaultTarget.CHECK, account, grant.get().sessionToken(),
				(outcome) -> recordCheck(new CheckCall(receivedAt, account, names, outcome)));
		Instant now = this.state.now();
		SimulatorProperties properties = this.state.properties();
		List<Optional<SimulatedOperation>> operations = this.state.operations(names);
		List<MediaEntry> media = new ArrayList<>(names.size());
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			media.add(operations.get(i)
				.map((operation) -> MediaEntry.of(name, operation.statusAt(now, properties),
						operation.reportedFailureReasons(now, properties)))
				.orElseGet(() -> MediaEntry.of(name, GenerationStatus.UNKNOWN_SIM, List.of())));
		}
		recordCheck(new CheckCall(receivedAt, account, names, "200"));
		Optional<RuntimeException> afterWork = fault.flatMap(FaultRule::failureAfterWork);
		if (afterWork.isPresent()) {
			throw afterWork.get();
		}
		return new CheckResponse(media, REMAINING_CREDITS);
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

	private Object startResponse(List<SimulatedOperation> operations) {
		String pending = GenerationStatus.PENDING.wireName();
		if (this.state.properties().startResponse() == SimulatorProperties.StartResponse.MEDIA) {
			return new MediaStartResponse(
					operations.stream()
						.map((operation) -> MediaEntry.of(operation.name(), GenerationStatus.PENDING, List.of()))
						.toList(),
					operations.stream()
						.map((operation) -> new Workflow(UUID.randomUUID().toString(),
								new WorkflowMetadata(operation.name())))
						.toList(),
					REMAINING_CREDITS);
		}
		return new OperationsStartResponse(operations.stream()
			.map((operation) -> new OperationEntry(new OperationName(operation.name()), operation.sceneId(), pending))
			.toList(), REMAINING_CREDITS);
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

		List<SceneRequest> scenes() {
			if (this.requests == null) {
				return List.of();
			}
			return this.requests.stream()
				.map((request) -> (request != null) ? request.scene() : new SceneRequest(null, null, null, null))
				.toList();
		}

		@Nullable String firstMissingField() {
			if (this.requests == null || this.requests.isEmpty()) {
				return "requests";
			}
			for (int i = 0; i < this.requests.size(); i++) {
				UpsampleRequest request = this.requests.get(i);
				SceneRequest scene = (request != null) ? request.scene() : new SceneRequest(null, null, null, null);
				if (isBlank(scene.mediaId())) {
					return "requests[" + i + "].videoInput.mediaId";
				}
				if (isBlank(scene.sceneId())) {
					return "requests[" + i + "].metadata.sceneId";
				}
				if (isBlank(scene.model())) {
					return "requests[" + i + "].videoModelKey";
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
			@Nullable Map<String, Object> recaptchaContext) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record UpsampleRequest(@Nullable String aspectRatio, @Nullable String resolution, @Nullable Long seed,
			@Nullable VideoInput videoInput, @Nullable String videoModelKey, @Nullable SceneMetadata metadata) {

		SceneRequest scene() {
			return new SceneRequest((this.metadata != null) ? this.metadata.sceneId() : null,
					(this.videoInput != null) ? this.videoInput.mediaId() : null, this.videoModelKey, this.resolution);
		}

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record VideoInput(@Nullable String mediaId) {

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record SceneMetadata(@Nullable String sceneId) {

	}

	record OperationsStartResponse(List<OperationEntry> operations, int remainingCredits) {

	}

	record OperationEntry(OperationName operation, String sceneId, String status) {

	}

	record OperationName(String name) {

	}

	record MediaStartResponse(List<MediaEntry> media, List<Workflow> workflows, int remainingCredits) {

	}

	record Workflow(String name, WorkflowMetadata metadata) {

	}

	record WorkflowMetadata(String primaryMediaId) {

	}

	/** The v2 check body. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record CheckRequest(@Nullable List<MediaName> media) {

		List<String> names() {
			if (this.media == null) {
				return List.of();
			}
			return this.media.stream()
				.map((entry) -> (entry != null && entry.name() != null) ? entry.name() : "")
				.toList();
		}

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

}
