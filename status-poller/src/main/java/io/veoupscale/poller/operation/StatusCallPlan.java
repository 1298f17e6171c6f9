package io.veoupscale.poller.operation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.veoupscale.flow.FlowThrottledException;
import io.veoupscale.poller.operation.OperationRepository.DueOperation;
import io.veoupscale.store.profile.FlowCookies;
import org.jspecify.annotations.Nullable;

/**
 * One claim's due operations as status calls: grouped per profile, in calls of at most
 * {@code max-per-check} operations, with each profile's session looked up once per poll.
 *
 * @param calls the status calls to make
 * @param withoutSession operations whose profile has no active Flow cookies
 */
record StatusCallPlan(List<StatusCall> calls, List<DueOperation> withoutSession) {

	/**
	 * Groups due operations into status calls, keeping the order in which they were
	 * claimed.
	 * @param due the claimed operations
	 * @param cookiesOf looks up the cookies of the given profiles
	 * @param maxPerCall operations covered by one call at most
	 * @param now the time against which cookies are checked for expiry
	 * @return the plan
	 */
	static StatusCallPlan of(List<DueOperation> due, Function<Set<String>, Map<String, FlowCookies>> cookiesOf,
			int maxPerCall, Instant now) {
		Map<String, List<DueOperation>> byProfile = due.stream()
			.collect(Collectors.groupingBy(DueOperation::profileId, LinkedHashMap::new, Collectors.toList()));
		Map<String, FlowCookies> cookies = cookiesOf.apply(byProfile.keySet());
		List<StatusCall> calls = new ArrayList<>();
		List<DueOperation> withoutSession = new ArrayList<>();
		byProfile.forEach((profileId, ofProfile) -> {
			FlowCookies profileCookies = cookies.get(profileId);
			if (profileCookies == null || !profileCookies.isActive(now)) {
				withoutSession.addAll(ofProfile);
				return;
			}
			ProfileSession session = new ProfileSession(profileId, profileCookies.sessionToken());
			for (int from = 0; from < ofProfile.size(); from += maxPerCall) {
				calls.add(new StatusCall(session,
						ofProfile.subList(from, Math.min(ofProfile.size(), from + maxPerCall))));
			}
		});
		return new StatusCallPlan(calls, withoutSession);
	}

	/**
	 * One status call: operations of one profile checked together.
	 *
	 * @param session the profile's session, shared by its calls of this poll
	 * @param operations the operations it covers
	 */
	record StatusCall(ProfileSession session, List<DueOperation> operations) {
	}

	/**
	 * One profile's session and whether Flow throttled its checks during this poll: a
	 * throttled call pauses the profile's calls not yet made.
	 */
	static final class ProfileSession {

		private final String profileId;

		private final String sessionToken;

		private volatile @Nullable FlowThrottledException throttled;

		ProfileSession(String profileId, String sessionToken) {
			this.profileId = profileId;
			this.sessionToken = sessionToken;
		}

		String profileId() {
			return this.profileId;
		}

		String sessionToken() {
			return this.sessionToken;
		}

		@Nullable FlowThrottledException throttled() {
			return this.throttled;
		}

		void throttled(FlowThrottledException throttled) {
			this.throttled = throttled;
		}

	}

}
