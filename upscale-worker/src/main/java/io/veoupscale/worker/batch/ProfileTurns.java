package io.veoupscale.worker.batch;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.veoupscale.flow.FlowProperties;
import io.veoupscale.worker.WorkerProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The start schedule of each profile, shared by every worker through one row per profile.
 * With a spacing, one start of a profile is in flight at a time: a worker takes its turn
 * by marking the row with its batch, and settles it once Flow answered; the next start
 * leaves no sooner than the spacing after that answer, the latest moment the previous
 * start can have reached Flow, so no two starts of a profile reach Flow closer than the
 * spacing however long either spent on its way. A pause after a throttle holds every
 * start of the profile, spacing or not.
 */
@Repository
class ProfilePacing {

	private final JdbcClient jdbc;

	private final WorkerProperties properties;

	private final Duration longestCall;

	ProfilePacing(JdbcClient jdbc, WorkerProperties properties, FlowProperties flow) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.longestCall = flow.connectTimeout().plus(flow.readTimeout());
	}

	/**
	 * Takes the profile's turn for a start of the batch that would leave at
	 * {@code sendAt}, in the caller's transaction (the profile's row stays locked until
	 * it commits). With a spacing, the turn marks the profile's start in flight until
	 * {@link #settle} is called.
	 * @return empty if the turn was taken; otherwise when to ask again
	 */
	Optional<Instant> takeTurn(String profileId, String batchId, String owner, Instant sendAt, Instant now) {
		this.jdbc.sql("""
				insert into profile_pacing (profile_id) values (:id)
				on conflict (profile_id) do nothing
				""").param("id", profileId).update();
		// A plain locking read: after waiting for another worker's turn it sees that
		// turn.
		Schedule schedule = this.jdbc.sql("""
				select last_slot_at, last_answer_at, paused_until, in_flight_batch_id, in_flight_owner,
				       in_flight_since
				from profile_pacing where profile_id = :id
				for update
				""")
			.param("id", profileId)
			.query((rs, row) -> new Schedule(instant(rs.getTimestamp("last_slot_at")),
					instant(rs.getTimestamp("last_answer_at")), instant(rs.getTimestamp("paused_until")),
					(rs.getString("in_flight_batch_id") != null) ? new InFlight(rs.getString("in_flight_batch_id"),
							rs.getString("in_flight_owner"), rs.getTimestamp("in_flight_since").toInstant()) : null))
			.single();
		Duration spacing = this.properties.profileMinSpacing();
		InFlight inFlight = schedule.inFlight();
		if (inFlight != null && spacesStarts()) {
			if (!inFlight.batchId().equals(batchId) && now.isBefore(inFlight.since().plus(this.longestCall))
					&& holdsLease(inFlight.owner(), inFlight.batchId(), now)) {
				// Its answer comes no sooner than now, the next start waits the spacing
				// after it: asking again a spacing later loses no time.
				return Optional.of(now.plus(spacing));
			}
			// Left by this batch's own last attempt (which never got to settle it), by a
			// worker that is gone, or by a call long over: what it sent arrived by now.
			settle(profileId, inFlight.batchId(), null, now);
			return Optional.of(now.plus(spacing));
		}
		Instant turn = schedule.turn(spacing);
		if (turn != null && turn.isAfter(sendAt)) {
			return Optional.of(turn);
		}
		if (spacesStarts()) {
			this.jdbc.sql("""
					update profile_pacing
					set in_flight_batch_id = :batchId, in_flight_owner = :owner, in_flight_since = :now
					where profile_id = :id
					""")
				.param("id", profileId)
				.param("batchId", batchId)
				.param("owner", owner)
				.param("now", Timestamp.from(now))
				.update();
		}
		return Optional.empty();
	}

	/**
	 * Tells whether starts of a profile are spaced, and so held in flight one at a time.
	 */
	boolean spacesStarts() {
		return !this.properties.profileMinSpacing().isZero();
	}

	private boolean holdsLease(String owner, String batchId, Instant now) {
		return this.jdbc.sql("select 1 from batches where id = :id and leased_by = :owner and leased_until > :now")
			.param("id", batchId)
			.param("owner", owner)
			.param("now", Timestamp.from(now))
			.query(Integer.class)
			.optional()
			.isPresent();
	}

	/**
	 * Ends the batch's start in flight for the profile, if it still holds it.
	 * @param sentAt when the start left, or null if it never did
	 * @param answeredAt when Flow answered, or when the call ended without an answer
	 */
	void settle(String profileId, String batchId, @Nullable Instant sentAt, Instant answeredAt) {
		this.jdbc.sql("""
				update profile_pacing
				set last_slot_at = coalesce(:sentAt, last_slot_at), last_answer_at = :answeredAt,
				    in_flight_batch_id = null, in_flight_owner = null, in_flight_since = null
				where profile_id = :id and in_flight_batch_id = :batchId
				""")
			.param("id", profileId)
			.param("batchId", batchId)
			.param("sentAt", (sentAt != null) ? Timestamp.from(sentAt) : null)
			.param("answeredAt", Timestamp.from(answeredAt))
			.update();
	}

	/**
	 * Pauses every start of the profile, on every worker, after Flow throttled it.
	 * @param retryAfter what Flow asked for, if anything; otherwise an exponential
	 * back-off
	 * @return how long the profile is paused
	 */
	Duration pause(String profileId, @Nullable Duration retryAfter, String reason, Instant now) {
		int streak = this.jdbc.sql("""
				update profile_pacing set throttle_streak = throttle_streak + 1 where profile_id = :id
				returning throttle_streak
				""").param("id", profileId).query(Integer.class).optional().orElse(1);
		Duration pause = (retryAfter != null) ? retryAfter : backoff(streak);
		this.jdbc.sql("""
				update profile_pacing
				set paused_until = greatest(coalesce(paused_until, :until), :until), pause_reason = :reason
				where profile_id = :id
				""")
			.param("id", profileId)
			.param("until", Timestamp.from(now.plus(pause)))
			.param("reason", reason)
			.update();
		return pause;
	}

	/**
	 * Forgets the throttles of a profile after a start went through.
	 */
	void clearThrottle(String profileId) {
		this.jdbc.sql("""
				update profile_pacing set throttle_streak = 0, pause_reason = null
				where profile_id = :id and throttle_streak > 0
				""").param("id", profileId).update();
	}

	private Duration backoff(int streak) {
		Duration pause = this.properties.throttleBackoff().multipliedBy(1L << Math.min(streak - 1, 20));
		return (pause.compareTo(this.properties.maxThrottleBackoff()) > 0) ? this.properties.maxThrottleBackoff()
				: pause;
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private record InFlight(String batchId, String owner, Instant since) {
	}

	private record Schedule(@Nullable Instant lastStart, @Nullable Instant lastAnswer, @Nullable Instant pausedUntil,
			@Nullable InFlight inFlight) {

		/**
		 * The earliest next start: the spacing after the last start reached Flow (known
		 * by its answer), and not before a pause ends.
		 */
		@Nullable Instant turn(Duration spacing) {
			Instant reached = (this.lastAnswer != null) ? this.lastAnswer : this.lastStart;
			Instant byPacing = (reached != null && !spacing.isZero()) ? reached.plus(spacing) : null;
			if (byPacing == null) {
				return this.pausedUntil;
			}
			return (this.pausedUntil != null && this.pausedUntil.isAfter(byPacing)) ? this.pausedUntil : byPacing;
		}

	}

}
