package io.veoupscale.worker.batch;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.veoupscale.worker.WorkerProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The start schedule of each profile, shared by every worker through one row per profile:
 * the last start and any pause after a throttle. Claiming a start locks the row, so two
 * workers never take the same turn.
 */
@Repository
class ProfilePacing {

	private final JdbcClient jdbc;

	private final WorkerProperties properties;

	ProfilePacing(JdbcClient jdbc, WorkerProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/**
	 * Locks the profile's schedule for the caller's transaction and tells whether its
	 * turn has come; a caller that goes ahead records its start with
	 * {@link #recordStart}.
	 * @return empty if the turn has come; otherwise when it comes
	 */
	Optional<Instant> lockTurn(String profileId, Instant now) {
		this.jdbc.sql("""
				insert into profile_pacing (profile_id, last_slot_at) values (:id, null)
				on conflict (profile_id) do nothing
				""").param("id", profileId).update();
		Schedule schedule = this.jdbc
			.sql("select last_slot_at, paused_until from profile_pacing where profile_id = :id for update")
			.param("id", profileId)
			.query((rs, row) -> new Schedule(instant(rs.getTimestamp("last_slot_at")),
					instant(rs.getTimestamp("paused_until"))))
			.single();
		Duration spacing = this.properties.profileMinSpacing();
		Instant turn = schedule.turn(spacing.isZero() ? spacing : spacing.plus(this.properties.profilePacingGuard()));
		return (turn != null && turn.isAfter(now)) ? Optional.of(turn) : Optional.empty();
	}

	/**
	 * Records a start of the profile; the last statement before the commit that lets the
	 * request go, so that the recorded time is as close to the wire as it can be.
	 */
	void recordStart(String profileId, Instant startedAt) {
		this.jdbc.sql("update profile_pacing set last_slot_at = :startedAt where profile_id = :id")
			.param("id", profileId)
			.param("startedAt", Timestamp.from(startedAt))
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

	private record Schedule(@Nullable Instant lastStart, @Nullable Instant pausedUntil) {

		@Nullable Instant turn(Duration spacing) {
			Instant byPacing = (this.lastStart != null) ? this.lastStart.plus(spacing) : null;
			if (byPacing == null) {
				return this.pausedUntil;
			}
			return (this.pausedUntil != null && this.pausedUntil.isAfter(byPacing)) ? this.pausedUntil : byPacing;
		}

	}

}
