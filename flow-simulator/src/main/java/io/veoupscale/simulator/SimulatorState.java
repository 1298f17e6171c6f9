package io.veoupscale.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Everything the simulator remembers during a run (sessions, tokens, operations,
 * accounts, source videos, call logs and fault rules), behind one lock so concurrent
 * workers see a consistent world. Longer than most classes: the simulator's whole world
 * sits behind that one lock, which is what keeps it consistent.
 */
@Component
class SimulatorState {

	private final SimulatorClock clock;

	private final SimulatorProperties properties;

	private final Map<String, AccessGrant> grantsByToken = new HashMap<>();

	private final Set<String> expiredSessions = new HashSet<>();

	private final Map<String, SimulatedOperation> operationsByName = new HashMap<>();

	private final Map<String, SimulatedOperation> operationsByScene = new HashMap<>();

	private final List<StartCall> starts = new ArrayList<>();

	private final List<CheckCall> checks = new ArrayList<>();

	private final List<CancelCall> cancels = new ArrayList<>();

	private final Map<String, Integer> arrivingStarts = new HashMap<>();

	private final List<InstalledFault> faults = new ArrayList<>();

	private final Map<String, SimulatedAccount> accounts = new HashMap<>();

	private final Map<String, String> sourceAspectRatios = new HashMap<>();

	private final Map<String, GenerationStatus> reportedStatuses = new HashMap<>();

	private final Map<String, SimulatedOperation> operationsByFile = new HashMap<>();

	private final RandomGenerator faultDraws = new SplittableRandom();

	private long lastFaultId;

	SimulatorState(SimulatorClock clock, SimulatorProperties properties) {
		this.clock = clock;
		this.properties = properties;
	}

	Instant now() {
		return this.clock.instant();
	}

	/**
	 * Moves the simulator's time forward.
	 * @return the new time
	 */
	Instant advanceClock(Duration duration) {
		return this.clock.advance(duration);
	}

	SimulatorProperties properties() {
		return this.properties;
	}

	/**
	 * Mints an access token for a live session.
	 * @param sessionToken the session cookie
	 * @return the new token's grant and value, or empty when the session is dead
	 */
	synchronized Optional<MintedToken> openSession(String sessionToken) {
		if (!isSessionAlive(sessionToken)) {
			return Optional.empty();
		}
		String accessToken = "ya29.sim-" + randomHex();
		AccessGrant grant = new AccessGrant(sessionToken, SimulatedAccounts.accountOf(sessionToken),
				now().plus(this.properties.tokenLifetime()));
		this.grantsByToken.put(accessToken, grant);
		return Optional.of(new MintedToken(accessToken, grant));
	}

	synchronized boolean isSessionAlive(String sessionToken) {
		return !this.expiredSessions.contains(sessionToken)
				&& !this.properties.expiredSessionTokens().contains(sessionToken);
	}

	synchronized void expireSession(String sessionToken) {
		this.expiredSessions.add(sessionToken);
		this.grantsByToken.values().removeIf((grant) -> grant.sessionToken().equals(sessionToken));
	}

	synchronized Optional<AccessGrant> grantFor(@Nullable String accessToken) {
		if (accessToken == null) {
			return Optional.empty();
		}
		AccessGrant grant = this.grantsByToken.get(accessToken);
		return (grant != null && now().isBefore(grant.expiresAt())) ? Optional.of(grant) : Optional.empty();
	}

	/**
	 * Answers a start call as Flow does: nothing when one of its scenes already has an
	 * operation (or comes twice), a refusal when the request or the account does not
	 * allow it, and otherwise, per scene, the upscale Flow already has of its source
	 * video (at no cost) or a new one. Either way the call is logged.
	 * @param scenes the complete request items
	 * @param projectId the Flow project of the call
	 * @param account the caller's account
	 * @param receivedAt when the call arrived
	 * @param failure the failure reasons when new operations must end FAILED, else null
	 * @param v2 whether the call is in the 2026 dialect, which refuses deprecated models
	 * @return what the call came to
	 */
	synchronized StartResult start(List<SceneRequest> scenes, @Nullable String projectId, String account,
			Instant receivedAt, @Nullable List<String> failure, boolean v2) {
		Set<String> sceneIds = new HashSet<>();
		for (SceneRequest scene : scenes) {
			String sceneId = String.valueOf(scene.sceneId());
			SimulatedOperation existing = this.operationsByScene.get(sceneId);
			if (existing != null || !sceneIds.add(sceneId)) {
				recordStarts(scenes, projectId, account, receivedAt, "409");
				return StartResult.conflict(sceneId, (existing != null) ? existing.name() : null);
			}
		}
		Instant now = now();
		RpcException invalid = invalidRequest(scenes, v2);
		if (invalid != null) {
			return refuse(scenes, projectId, account, receivedAt, invalid);
		}
		List<SceneRequest> fresh = new ArrayList<>();
		for (SceneRequest scene : scenes) {
			if (upscaleOf(scene, now) == null) {
				fresh.add(scene);
			}
		}
		SimulatedAccount ledger = account(account, now);
		RpcException refused = ledger.refusal(fresh, failure == null, () -> runningOf(account, now));
		if (refused != null) {
			return refuse(scenes, projectId, account, receivedAt, refused);
		}
		List<StartedScene> started = new ArrayList<>();
		for (SceneRequest scene : scenes) {
			SimulatedOperation upscaled = upscaleOf(scene, now);
			boolean existing = upscaled != null;
			if (upscaled == null) {
				upscaled = new SimulatedOperation(upscaledName(String.valueOf(scene.mediaId())),
						String.valueOf(scene.sceneId()), String.valueOf(scene.mediaId()), projectId, account, now,
						failure != null, (failure != null) ? List.copyOf(failure) : List.of(), randomHex());
				remember(upscaled);
				ledger.charge(scene, failure == null);
			}
			started.add(new StartedScene(upscaled, scene, existing));
			this.starts.add(new StartCall(scene.sceneId(), scene.mediaId(), scene.model(), scene.resolution(),
					scene.aspectRatio(), projectId, account, receivedAt,
					existing ? StartCall.EXISTING : StartCall.ACCEPTED));
		}
		return new StartResult(started, null, null, null, ledger.credits());
	}

	/**
	 * The upscale Flow already has of the scene's source video, unless it failed or was
	 * cancelled: asking again hands it back.
	 */
	private @Nullable SimulatedOperation upscaleOf(SceneRequest scene, Instant now) {
		SimulatedOperation upscaled = this.operationsByName.get(upscaledName(String.valueOf(scene.mediaId())));
		if (upscaled == null) {
			return null;
		}
		GenerationStatus status = statusOf(upscaled, now);
		return (status == GenerationStatus.FAILED || status == GenerationStatus.CANCELED) ? null : upscaled;
	}

	private StartResult refuse(List<SceneRequest> scenes, @Nullable String projectId, String account,
			Instant receivedAt, RpcException refusal) {
		recordStarts(scenes, projectId, account, receivedAt, String.valueOf(refusal.httpStatus()));
		return new StartResult(List.of(), null, null, refusal, null);
	}

	private @Nullable RpcException invalidRequest(List<SceneRequest> scenes, boolean v2) {
		for (SceneRequest scene : scenes) {
			if (v2 && this.properties.deprecatedModels().contains(scene.model())) {
				return RpcException.invalidArgument("Model " + scene.model()
						+ " is deprecated; use a current upsampler such as veo_3_1_upsampler_1080p");
			}
			String source = this.sourceAspectRatios.get(String.valueOf(scene.mediaId()));
			if (source != null && !source.equals(scene.aspectRatio())) {
				return RpcException.invalidArgument(
						"aspectRatio " + scene.aspectRatio() + " does not match the source video, which is " + source);
			}
		}
		return null;
	}

	private void remember(SimulatedOperation operation) {
		this.operationsByName.put(operation.name(), operation);
		this.operationsByScene.put(operation.sceneId(), operation);
		this.operationsByFile.put(operation.fileId(), operation);
		this.reportedStatuses.remove(operation.name());
	}

	private int runningOf(String account, Instant now) {
		int running = 0;
		for (SimulatedOperation operation : this.operationsByName.values()) {
			if (operation.account().equals(account) && statusOf(operation, now).isRunning()) {
				running++;
			}
		}
		return running;
	}

	/**
	 * The account's ledger as of now: its settings, its credits, and its usage of the
	 * current UTC day.
	 */
	private SimulatedAccount account(String account, Instant now) {
		SimulatedAccount ledger = this.accounts.computeIfAbsent(account,
				(key) -> new SimulatedAccount(this.properties.defaultTier(), this.properties.defaultCredits()));
		ledger.rollOver(now);
		return ledger;
	}

	/**
	 * Changes an account's tier, credits, quotas or concurrent limit; what the settings
	 * leave out stays as it was.
	 * @return the account as it is now
	 */
	synchronized SimulatedAccount.View configureAccount(String account, AccountSettings settings) {
		SimulatedAccount ledger = account(account, now());
		ledger.configure(settings);
		return ledger.view(account, runningOf(account, now()));
	}

	/**
	 * The error Flow answers a start that claims a higher tier than the account has.
	 * @param account the account
	 * @param claimedTier the request's {@code clientContext.userPaygateTier}, if any
	 * @return 403 PERMISSION_DENIED, or null when the claim is absent or true
	 */
	synchronized @Nullable RpcException overclaim(String account, @Nullable String claimedTier) {
		return account(account, now()).overclaim(claimedTier);
	}

	synchronized SimulatedAccount.View accountView(String account) {
		return account(account, now()).view(account, runningOf(account, now()));
	}

	/**
	 * Registers a source video's aspect ratio; starts that name another are refused.
	 */
	synchronized void registerSource(String mediaId, String aspectRatio) {
		this.sourceAspectRatios.put(mediaId, aspectRatio);
	}

	/**
	 * Makes an operation report a status from now on, whatever its timing says.
	 * @return whether the operation is known
	 */
	synchronized boolean reportStatus(String name, GenerationStatus status) {
		if (!this.operationsByName.containsKey(name)) {
			return false;
		}
		this.reportedStatuses.put(name, status);
		return true;
	}

	/**
	 * The status an operation reports now: one set through the admin API, or the one its
	 * timing gives.
	 */
	synchronized GenerationStatus statusOf(SimulatedOperation operation, Instant now) {
		GenerationStatus reported = this.reportedStatuses.get(operation.name());
		return (reported != null) ? reported : operation.statusAt(now, this.properties);
	}

	/**
	 * Whether the operation's video can be handed out now.
	 */
	synchronized boolean mediaReady(SimulatedOperation operation, Instant now) {
		GenerationStatus reported = this.reportedStatuses.get(operation.name());
		return (reported != null) ? reported.isSuccess() : operation.mediaReadyAt(now, this.properties);
	}

	synchronized List<String> failureReasons(SimulatedOperation operation, Instant now) {
		GenerationStatus status = statusOf(operation, now);
		if (status == GenerationStatus.FAILED && !operation.failureReasons().isEmpty()) {
			return operation.failureReasons();
		}
		return (status == GenerationStatus.FAILED && this.reportedStatuses.containsKey(operation.name()))
				? List.of("SIMULATED_FAILURE") : List.of();
	}

	synchronized Optional<SimulatedOperation> operationByFile(String fileId) {
		return Optional.ofNullable(this.operationsByFile.get(fileId));
	}

	/**
	 * The credits an account has left.
	 */
	synchronized int creditsOf(String account) {
		return account(account, now()).credits();
	}

	static String upscaledName(String mediaId) {
		return mediaId + "_upsampled";
	}

	/**
	 * Takes operations started elsewhere (by a benchmark seeding a database) as if they
	 * had been started here when their pending phase began, so they report ACTIVE until
	 * {@code complete-after}. Names already known are left alone.
	 * @param names the operation names
	 * @param account the account they belong to
	 * @return how many were new
	 */
	synchronized int adopt(List<String> names, String account) {
		Instant startedAt = now().minus(this.properties.pendingFor());
		int adopted = 0;
		for (String name : names) {
			if (this.operationsByName.containsKey(name)) {
				continue;
			}
			remember(new SimulatedOperation(name, "adopted-" + name, "adopted-" + name, null, account, startedAt, false,
					List.of(), randomHex()));
			adopted++;
		}
		return adopted;
	}

	synchronized void recordStarts(List<SceneRequest> scenes, @Nullable String projectId, @Nullable String account,
			Instant receivedAt, String outcome) {
		for (SceneRequest scene : scenes) {
			this.starts.add(new StartCall(scene.sceneId(), scene.mediaId(), scene.model(), scene.resolution(),
					scene.aspectRatio(), projectId, account, receivedAt, outcome));
		}
	}

	/**
	 * Cancels a running generation of the account ({@code flowMedia:cancelGeneration}):
	 * from then on its status is {@code CANCELED}.
	 * @return the outcome logged: {@link CancelCall#CANCELLED}, {@code 404} for media the
	 * account does not have, {@code 400} for a generation that has ended
	 */
	synchronized String cancel(String account, String mediaId, Instant receivedAt) {
		SimulatedOperation operation = this.operationsByName.get(mediaId);
		String outcome;
		if (operation == null || !operation.account().equals(account)) {
			outcome = "404";
		}
		else {
			GenerationStatus status = statusOf(operation, this.clock.instant());
			if (status.isRunning()) {
				this.reportedStatuses.put(mediaId, GenerationStatus.CANCELED);
				outcome = CancelCall.CANCELLED;
			}
			else {
				outcome = "400";
			}
		}
		this.cancels.add(new CancelCall(receivedAt, account, mediaId, outcome));
		return outcome;
	}

	synchronized List<CancelCall> cancels() {
		return List.copyOf(this.cancels);
	}

	synchronized void recordCheck(CheckCall call) {
		this.checks.add(call);
	}

	synchronized Optional<SimulatedOperation> operation(String name) {
		return Optional.ofNullable(this.operationsByName.get(name));
	}

	/**
	 * Looks up several operations under one hold of the lock.
	 * @param names operation names
	 * @return the operation of each name, in order, empty for unknown names
	 */
	synchronized List<Optional<SimulatedOperation>> operations(List<String> names) {
		List<Optional<SimulatedOperation>> found = new ArrayList<>(names.size());
		for (String name : names) {
			found.add(Optional.ofNullable(this.operationsByName.get(name)));
		}
		return found;
	}

	synchronized List<StartCall> starts() {
		return List.copyOf(this.starts);
	}

	synchronized List<CheckCall> checks() {
		return List.copyOf(this.checks);
	}

	/**
	 * Counts a start call of the account as arrived, before it is handled (and before any
	 * latency rule holds it), so that a test can tell a start that reached Flow from one
	 * its sender never sent.
	 */
	synchronized void recordArrival(@Nullable String account) {
		this.arrivingStarts.merge(String.valueOf(account), 1, Integer::sum);
	}

	/**
	 * The start calls that arrived so far, per account ({@code "null"} for calls without
	 * a valid access token), handled or not.
	 */
	synchronized Map<String, Integer> arrivals() {
		return Map.copyOf(this.arrivingStarts);
	}

	synchronized InstalledFault addFault(FaultRule rule) {
		FaultRule complete = rule.withDefaults();
		InstalledFault installed = new InstalledFault(++this.lastFaultId, complete, complete.times());
		this.faults.add(installed);
		return installed;
	}

	synchronized List<InstalledFault> faults() {
		return List.copyOf(this.faults);
	}

	synchronized void clearFaults() {
		this.faults.clear();
	}

	/**
	 * Uses up one call of the first rule that matches, in insertion order.
	 * @param target the endpoint being called
	 * @param account the caller's account, null when unknown
	 * @return the matching rule, or empty when the call proceeds untouched
	 */
	synchronized Optional<FaultRule> takeFault(FaultTarget target, @Nullable String account) {
		return takeFault(target, account, false);
	}

	/**
	 * Takes the first {@code slowArrival} rule matching a call that is arriving.
	 */
	synchronized Optional<FaultRule> takeSlowArrival(FaultTarget target, @Nullable String account) {
		return takeFault(target, account, true);
	}

	private Optional<FaultRule> takeFault(FaultTarget target, @Nullable String account, boolean arriving) {
		for (int i = 0; i < this.faults.size(); i++) {
			InstalledFault fault = this.faults.get(i);
			if (fault.rule().matches(target, account) && (fault.rule().kind() == FaultKind.SLOW_ARRIVAL) == arriving
					&& fault.rule().affects(this.faultDraws.nextDouble())) {
				if (!fault.unlimited()) {
					InstalledFault used = fault.used();
					if (used.remaining() > 0) {
						this.faults.set(i, used);
					}
					else {
						this.faults.remove(i);
					}
				}
				return Optional.of(fault.rule());
			}
		}
		return Optional.empty();
	}

	synchronized void reset() {
		this.grantsByToken.clear();
		this.expiredSessions.clear();
		this.operationsByName.clear();
		this.operationsByScene.clear();
		this.operationsByFile.clear();
		this.accounts.clear();
		this.sourceAspectRatios.clear();
		this.reportedStatuses.clear();
		this.starts.clear();
		this.checks.clear();
		this.cancels.clear();
		this.arrivingStarts.clear();
		this.faults.clear();
	}

	private static String randomHex() {
		return UUID.randomUUID().toString().replace("-", "");
	}

	/**
	 * An access token just minted for a session.
	 *
	 * @param value the bearer token; never log it
	 * @param grant what it stands for
	 */
	record MintedToken(String value, AccessGrant grant) {

		@Override
		public String toString() {
			return "MintedToken[" + this.grant + "]";
		}

	}

	/**
	 * What a start call came to.
	 *
	 * @param scenes per request item, its operation: a new one or the one Flow had of its
	 * source; empty on a conflict or a refusal
	 * @param conflictingSceneId the scene that already had an operation (or came twice in
	 * the call), else null
	 * @param conflictingOperation the operation the conflicting scene already had, else
	 * null
	 * @param refusal the error to answer with when the request or the account does not
	 * allow the start, else null
	 * @param remainingCredits the account's credits after the call, when it was answered
	 */
	record StartResult(List<StartedScene> scenes, @Nullable String conflictingSceneId,
			@Nullable String conflictingOperation, @Nullable RpcException refusal, @Nullable Integer remainingCredits) {

		static StartResult conflict(String sceneId, @Nullable String operation) {
			return new StartResult(List.of(), sceneId, operation, null, null);
		}

	}

	/**
	 * One request item of an accepted start call.
	 *
	 * @param operation its operation
	 * @param request the item
	 * @param existing whether the operation existed before the call (the source video was
	 * upscaled already)
	 */
	record StartedScene(SimulatedOperation operation, SceneRequest request, boolean existing) {

	}

}
