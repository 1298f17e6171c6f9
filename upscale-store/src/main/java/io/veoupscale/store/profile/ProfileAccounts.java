package io.veoupscale.store.profile;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What Flow says of each profile's account, kept for every worker, poller and gateway:
 * the credits on every answer, the tier when a session is refreshed, and the holds the
 * workers put on a profile.
 */
@Repository
public class ProfileAccounts {

	private final JdbcClient jdbc;

	ProfileAccounts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Keeps the credits an answer reported, unless a later answer's are kept already.
	 * @param profileId the profile
	 * @param credits its credits
	 * @param at when Flow answered
	 */
	public void recordCredits(String profileId, int credits, Instant at) {
		this.jdbc.sql("""
				insert into profile_accounts (profile_id, credits, credits_at) values (:id, :credits, :at)
				on conflict (profile_id) do update set credits = excluded.credits, credits_at = excluded.credits_at
				where profile_accounts.credits_at is null or profile_accounts.credits_at <= excluded.credits_at
				""").param("id", profileId).param("credits", credits).param("at", Timestamp.from(at)).update();
	}

	/**
	 * Keeps the tier (and credits) {@code GET /v1/credits} reported.
	 * @param profileId the profile
	 * @param tier Flow's tier text, if it sent one
	 * @param credits its credits, if reported
	 * @param at when Flow answered
	 */
	public void recordAccount(String profileId, @Nullable String tier, @Nullable Integer credits, Instant at) {
		this.jdbc.sql("""
				insert into profile_accounts (profile_id, tier, tier_at) values (:id, :tier, :at)
				on conflict (profile_id) do update set tier = excluded.tier, tier_at = excluded.tier_at
				""").param("id", profileId).param("tier", tier).param("at", Timestamp.from(at)).update();
		if (credits != null) {
			recordCredits(profileId, credits, at);
		}
	}

	/**
	 * Pauses every start of the profile, in every batch and on every worker, until an
	 * operator resumes it: the state a throttle's pause uses, held until
	 * {@link ProfileHealth#OPERATOR_PAUSE_UNTIL} with the reason
	 * {@value ProfileHealth#OPERATOR_PAUSE_REASON}.
	 * @param profileId the profile
	 * @return whether it was not paused by an operator before
	 */
	public boolean pause(String profileId) {
		this.jdbc.sql("insert into profile_pacing (profile_id) values (:id) on conflict (profile_id) do nothing")
			.param("id", profileId)
			.update();
		return this.jdbc.sql("""
				update profile_pacing set paused_until = :until, pause_reason = :reason
				where profile_id = :id and (paused_until is null or paused_until < :until)
				""")
			.param("id", profileId)
			.param("until", Timestamp.from(ProfileHealth.OPERATOR_PAUSE_UNTIL))
			.param("reason", ProfileHealth.OPERATOR_PAUSE_REASON)
			.update() > 0;
	}

	/**
	 * Ends an operator's pause of the profile; a throttle's pause is left to run out.
	 * @param profileId the profile
	 * @return whether it was paused by an operator
	 */
	public boolean resume(String profileId) {
		return this.jdbc.sql("""
				update profile_pacing set paused_until = null, pause_reason = null
				where profile_id = :id and paused_until >= :until
				""")
			.param("id", profileId)
			.param("until", Timestamp.from(ProfileHealth.OPERATOR_PAUSE_UNTIL))
			.update() > 0;
	}

	/**
	 * What is known of a profile's account.
	 * @param profileId the profile
	 * @return its health; all empty for a profile that never started anything
	 */
	public ProfileHealth health(String profileId) {
		List<ProfileHealth.ModelHold> holds = this.jdbc.sql("""
				select model, held_until, reason from profile_model_holds where profile_id = :id order by model
				""")
			.param("id", profileId)
			.query((rs, row) -> new ProfileHealth.ModelHold(rs.getString("model"),
					rs.getTimestamp("held_until").toInstant(), rs.getString("reason")))
			.list();
		return this.jdbc.sql("""
				select p.paused_until, p.pause_reason, p.quota_held_until, p.quota_reason, p.last_refusal_reason,
				       p.last_refusal_at, a.tier, a.credits, a.credits_at
				from (select cast(:id as varchar) as profile_id) wanted
				left join profile_pacing p on p.profile_id = wanted.profile_id
				left join profile_accounts a on a.profile_id = wanted.profile_id
				""")
			.param("id", profileId)
			.query((rs, row) -> new ProfileHealth(instant(rs.getTimestamp("paused_until")),
					rs.getString("pause_reason"), instant(rs.getTimestamp("quota_held_until")),
					rs.getString("quota_reason"), holds, rs.getString("last_refusal_reason"),
					instant(rs.getTimestamp("last_refusal_at")), rs.getString("tier"),
					(Integer) rs.getObject("credits"), instant(rs.getTimestamp("credits_at"))))
			.single();
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
