package io.veoupscale.simulator;

import java.time.Clock;
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
 * Everything the simulator remembers during a run (sessions, tokens, operations, call
 * logs and fault rules), behind one lock so concurrent workers see a consistent world.
 */
@Component
class SimulatorState {

	private final Clock clock;

	private final SimulatorProperties properties;

	private final Map<String, AccessGrant> grantsByToken = new HashMap<>();

	private final Set<String> expiredSessions = new HashSet<>();

	private final Map<String, SimulatedOperation> operationsByName = new HashMap<>();

	private final Map<String, SimulatedOperation> operationsByScene = new HashMap<>();

	private final List<StartCall> starts = new ArrayList<>();

	private final List<CheckCall> checks = new ArrayList<>();

	private final List<InstalledFault> faults = new ArrayList<>();

	private final RandomGenerator faultDraws = new SplittableRandom();

	private long lastFaultId;

	SimulatorState(Clock clock, SimulatorProperties properties) {
		this.clock = clock;
		this.properties = properties;
	}

	Instant now() {
		return this.clock.instant();
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
	 * Accepts all scenes of a start call as new operations, or none when one of them
	 * already has an accepted operation; either way the call is logged.
	 * @param scenes the complete request items
	 * @param projectId the Flow project of the call
	 * @param account the caller's account
	 * @param receivedAt when the call arrived
	 * @param failure the failure reasons when the operations must end FAILED, else null
	 * @return the new operations, or the scene that conflicts
	 */
	synchronized StartResult start(List<SceneRequest> scenes, @Nullable String projectId, String account,
			Instant receivedAt, @Nullable List<String> failure) {
		Set<String> sceneIds = new HashSet<>();
		for (SceneRequest scene : scenes) {
			String sceneId = String.valueOf(scene.sceneId());
			SimulatedOperation existing = this.operationsByScene.get(sceneId);
			if (existing != null || !sceneIds.add(sceneId)) {
				recordStarts(scenes, projectId, account, receivedAt, "409");
				return new StartResult(List.of(), sceneId, (existing != null) ? existing.name() : null);
			}
		}
		List<SimulatedOperation> created = new ArrayList<>();
		Instant startedAt = now();
		for (SceneRequest scene : scenes) {
			SimulatedOperation operation = new SimulatedOperation(randomHex(), String.valueOf(scene.sceneId()),
					String.valueOf(scene.mediaId()), projectId, account, startedAt, failure != null,
					(failure != null) ? List.copyOf(failure) : List.of());
			this.operationsByName.put(operation.name(), operation);
			this.operationsByScene.put(operation.sceneId(), operation);
			created.add(operation);
		}
		recordStarts(scenes, projectId, account, receivedAt, StartCall.ACCEPTED);
		return new StartResult(created, null, null);
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
			SimulatedOperation operation = new SimulatedOperation(name, "adopted-" + name, "adopted-" + name, null,
					account, startedAt, false, List.of());
			this.operationsByName.put(name, operation);
			this.operationsByScene.put(operation.sceneId(), operation);
			adopted++;
		}
		return adopted;
	}

	synchronized void recordStarts(List<SceneRequest> scenes, @Nullable String projectId, @Nullable String account,
			Instant receivedAt, String outcome) {
		for (SceneRequest scene : scenes) {
			this.starts.add(new StartCall(scene.sceneId(), scene.mediaId(), scene.model(), scene.resolution(),
					projectId, account, receivedAt, outcome));
		}
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
		this.starts.clear();
		this.checks.clear();
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
	 * @param operations the operations created, empty on a conflict
	 * @param conflictingSceneId the scene that already had an operation (or came twice in
	 * the call), else null
	 * @param conflictingOperation the operation the conflicting scene already had, else
	 * null
	 */
	record StartResult(List<SimulatedOperation> operations, @Nullable String conflictingSceneId,
			@Nullable String conflictingOperation) {

	}

}
