package io.veoupscale.worker.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.veoupscale.flow.FlowProperties;
import io.veoupscale.store.profile.ProfileHealth;
import io.veoupscale.worker.QuotaClock;
import io.veoupscale.worker.WorkerProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The turns of each profile, shared by every worker through one row per profile. With a
 * spacing, one start of a profile is in flight at a time: a worker takes its turn by
 * marking the row with its batch, and settles it once Flow answered; the next start
 * leaves no sooner than the spacing after that answer, the latest moment the previous
 * start can have reached Flow, so no two starts of a profile reach Flow closer than the
 * spacing however long either spent on its way. A pause after a throttle holds every
 * start of the profile, spacing or not; so does a spent quota, until it resets, and a
 * model's spent quota holds that model's starts, and an operator's pause holds every
 * start of the profile until it is resumed. Longer than most classes: the profile row's
 * SQL (the turn, the settling of a start, the holds) is kept next to the pure decision it
 * feeds ({@link ProfileRow#turn}, {@link AccountRules}).
 */
@Repository
class ProfileTurns {

	private final JdbcClient jdbc;

	private final WorkerProperties properties;

	private final Duration longestCall;

	private final AccountRules rules;

	private final QuotaClock quotaClock;

	ProfileTurns(JdbcClient jdbc, WorkerProperties properties, FlowProperties flow, AccountRules rules,
			QuotaClock quotaClock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.longestCall = flow.connectTimeout().plus(flow.readTimeout());
		this.rules = rules;
		this.quotaClock = quotaClock;
	}

	/**
	 * Takes the profile's turn for a start of the batch that would leave at
	 * {@code sendAt}, in the caller's transaction (the profile's row stays locked until
	 * it commits). With a spacing, the turn marks the profile's start in flight until
	 * {@link #settle} is called. No turn is given while the account does not allow the
	 * start: its quota (or the model's) spent, a tier or credits that do not suffice.
	 * @param model the model key the start would send
	 * @return whether the turn was taken, or when to ask again, or why the account does
	 * not allow the start
	 */
	Decision takeTurn(String profileId, String batchId, String owner, Instant sendAt, Instant now, String model) {
		ProfileRow row = lock(profileId, model);
		if (row.pausedUntil() != null && !row.pausedUntil().isBefore(ProfileHealth.OPERATOR_PAUSE_UNTIL)) {
			// Paused by an operator until resumed: asked again every heartbeat.
			return Decision.later(now.plus(this.properties.heartbeatInterval()));
		}
		AccountRules.Refusal refusal = this.rules.refusal(row.account(), model, this.quotaClock.instant());
		if (refusal != null) {
			return new Decision(null, null, refusal, false);
		}
		Duration spacing = this.properties.profileMinSpacing();
		InFlight inFlight = (spacesStarts()) ? row.inFlight() : null;
		if (inFlight != null) {
			if (inFlight.mayStillBeOnItsWay(batchId, now, this.longestCall)
					&& holdsLease(inFlight.owner(), inFlight.batchId(), now)) {
				// Its answer comes no sooner than now, the next start waits the spacing
				// after it: asking again a spacing later loses no time.
				return Decision.later(now.plus(spacing));
			}
			// Left by this batch's own last attempt (which never got to settle it), by a
			// worker that is gone, or by a call long over: what it sent arrived by now.
			return new Decision(now.plus(spacing), inFlight.batchId(), null, false);
		}
		Instant turn = row.turn(spacing);
		if (turn != null && turn.isAfter(sendAt)) {
			return Decision.later(turn);
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
		return new Decision(null, null, null, row.throttleStreak() > 0);
	}

	/**
	 * Locks the profile's row, creating it on the profile's first start, and reads what
	 * is known of its account for the model.
	 */
	private ProfileRow lock(String profileId, String model) {
		Optional<ProfileRow> row = lockedRow(profileId, model);
		if (row.isPresent()) {
			return row.get();
		}
		createRow(profileId);
		return lockedRow(profileId, model).orElseThrow();
	}

	private void createRow(String profileId) {
		this.jdbc.sql("insert into profile_pacing (profile_id) values (:id) on conflict (profile_id) do nothing")
			.param("id", profileId)
			.update();
	}

	private Optional<ProfileRow> lockedRow(String profileId, String model) {
		// A plain locking read: after waiting for another worker's turn it sees that
		// turn.
		return this.jdbc.sql("""
				select p.last_slot_at, p.last_answer_at, p.paused_until, p.in_flight_batch_id, p.in_flight_owner,
				       p.in_flight_since, p.throttle_streak, p.quota_held_until, p.quota_reason,
				       h.held_until as model_held_until, h.reason as model_hold_reason, a.tier, a.credits
				from profile_pacing p
				left join profile_model_holds h on h.profile_id = p.profile_id and h.model = :model
				left join profile_accounts a on a.profile_id = p.profile_id
				where p.profile_id = :id
				for update of p
				""").param("id", profileId).param("model", model).query(ProfileTurns::row).optional();
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
	 * Ends the batch's start in flight for the profile, if it still holds it, and after a
	 * start Flow took, forgets the profile's throttles.
	 * @param sentAt when the start left, or null if it never did
	 * @param answeredAt when Flow answered, or when the call ended without an answer
	 * @param accepted whether Flow took the start
	 * @param throttled whether the profile had met throttles when the turn was taken;
	 * without a spacing only then is its row written
	 */
	void settle(String profileId, String batchId, @Nullable Instant sentAt, Instant answeredAt, boolean accepted,
			boolean throttled) {
		if (!spacesStarts()) {
			if (accepted && throttled) {
				this.jdbc.sql("""
						update profile_pacing set throttle_streak = 0, pause_reason = null
						where profile_id = :id and throttle_streak > 0
						""").param("id", profileId).update();
			}
			return;
		}
		this.jdbc.sql("""
				update profile_pacing
				set last_slot_at = coalesce(:sentAt, last_slot_at), last_answer_at = :answeredAt,
				    in_flight_batch_id = null, in_flight_owner = null, in_flight_since = null,
				    throttle_streak = case when :accepted then 0 else throttle_streak end,
				    pause_reason = case when :accepted then null else pause_reason end
				where profile_id = :id and in_flight_batch_id = :batchId
				""")
			.param("id", profileId)
			.param("batchId", batchId)
			.param("sentAt", (sentAt != null) ? Timestamp.from(sentAt) : null)
			.param("answeredAt", Timestamp.from(answeredAt))
			.param("accepted", accepted)
			.update();
	}

	/**
	 * Pauses every start of the profile, on every worker, after Flow throttled it.
	 * @param retryAfter what Flow asked for, if anything; otherwise an exponential
	 * back-off
	 * @return when the pause ends
	 */
	Instant pause(String profileId, @Nullable Duration retryAfter, String reason, Instant now) {
		int streak = this.jdbc.sql("""
				update profile_pacing set throttle_streak = throttle_streak + 1 where profile_id = :id
				returning throttle_streak
				""").param("id", profileId).query(Integer.class).optional().orElse(1);
		Duration pause = (retryAfter != null) ? retryAfter : backoff(streak);
		return this.jdbc.sql("""
				update profile_pacing
				set paused_until = greatest(coalesce(paused_until, :until), :until), pause_reason = :reason,
				    last_refusal_reason = :reason, last_refusal_at = :now
				where profile_id = :id
				returning paused_until
				""")
			.param("id", profileId)
			.param("until", Timestamp.from(now.plus(pause)))
			.param("reason", reason)
			.param("now", Timestamp.from(now))
			.query(Timestamp.class)
			.optional()
			.map(Timestamp::toInstant)
			.orElse(now.plus(pause));
	}

	/**
	 * Holds the profile (or one model of it) for every worker until its quota resets,
	 * after Flow answered that the quota is spent.
	 * @param model the model whose daily quota is spent, or null for the account's quota
	 * @return when the hold ends
	 */
	Instant holdQuota(String profileId, @Nullable String model, String reason, Instant until, Instant now) {
		createRow(profileId);
		recordRefusal(profileId, reason, now);
		if (model != null) {
			return this.jdbc
				.sql("""
						insert into profile_model_holds (profile_id, model, held_until, reason)
						values (:id, :model, :until, :reason)
						on conflict (profile_id, model) do update
						set held_until = greatest(profile_model_holds.held_until, excluded.held_until), reason = excluded.reason
						returning held_until
						""")
				.param("id", profileId)
				.param("model", model)
				.param("until", Timestamp.from(until))
				.param("reason", reason)
				.query(Timestamp.class)
				.single()
				.toInstant();
		}
		return this.jdbc.sql("""
				update profile_pacing
				set quota_held_until = greatest(coalesce(quota_held_until, :until), :until), quota_reason = :reason
				where profile_id = :id
				returning quota_held_until
				""")
			.param("id", profileId)
			.param("until", Timestamp.from(until))
			.param("reason", reason)
			.query(Timestamp.class)
			.single()
			.toInstant();
	}

	/**
	 * Keeps the reason of the latest refusal Flow answered a start of the profile with.
	 */
	void recordRefusal(String profileId, String reason, Instant now) {
		createRow(profileId);
		this.jdbc.sql("""
				update profile_pacing set last_refusal_reason = :reason, last_refusal_at = :now where profile_id = :id
				""").param("id", profileId).param("reason", reason).param("now", Timestamp.from(now)).update();
	}

	private Duration backoff(int streak) {
		Duration pause = this.properties.throttleBackoff().multipliedBy(1L << Math.min(streak - 1, 20));
		return (pause.compareTo(this.properties.maxThrottleBackoff()) > 0) ? this.properties.maxThrottleBackoff()
				: pause;
	}

	private static ProfileRow row(ResultSet rs, int row) throws SQLException {
		String inFlightBatch = rs.getString("in_flight_batch_id");
		return new ProfileRow(instant(rs.getTimestamp("last_slot_at")), instant(rs.getTimestamp("last_answer_at")),
				instant(rs.getTimestamp("paused_until")),
				(inFlightBatch != null) ? new InFlight(inFlightBatch, rs.getString("in_flight_owner"),
						rs.getTimestamp("in_flight_since").toInstant()) : null,
				rs.getInt("throttle_streak"),
				new AccountRules.AccountState(instant(rs.getTimestamp("quota_held_until")),
						rs.getString("quota_reason"), instant(rs.getTimestamp("model_held_until")),
						rs.getString("model_hold_reason"), rs.getString("tier"), (Integer) rs.getObject("credits")));
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * Whether a profile's turn was taken.
	 *
	 * @param askAgainAt null if the turn was taken or refused; otherwise when to ask
	 * again
	 * @param staleInFlight the batch of a start in flight that is certainly over and must
	 * be settled, in a transaction of its own, before the profile's next turn
	 * @param refusal why the profile's account does not allow the start, if it does not
	 * @param throttled whether the profile met throttles since its last accepted start,
	 * which an accepted start then clears
	 */
	record Decision(@Nullable Instant askAgainAt, @Nullable String staleInFlight,
			AccountRules.@Nullable Refusal refusal, boolean throttled) {

		static Decision later(Instant askAgainAt) {
			return new Decision(askAgainAt, null, null, false);
		}

	}

	/**
	 * A profile's start in flight, as its row records it.
	 *
	 * @param batchId the batch whose turn it is
	 * @param owner the worker that took it
	 * @param since when it was taken
	 */
	record InFlight(String batchId, String owner, Instant since) {

		/**
		 * Whether this start of another batch may still be on its way or unanswered, as
		 * far as time tells: not once the longest call has passed (its worker's lease
		 * decides the rest).
		 */
		boolean mayStillBeOnItsWay(String askingBatchId, Instant now, Duration longestCall) {
			return !this.batchId.equals(askingBatchId) && now.isBefore(this.since.plus(longestCall));
		}

	}

	/**
	 * A profile's row: its last start, the answer to it, any pause and any start in
	 * flight, and what is known of its account.
	 */
	record ProfileRow(@Nullable Instant lastStart, @Nullable Instant lastAnswer, @Nullable Instant pausedUntil,
			@Nullable InFlight inFlight, int throttleStreak, AccountRules.AccountState account) {

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
