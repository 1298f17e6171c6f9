package io.veoupscale.worker.batch;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The leases on batches, the db-scheduler way: claimed in one statement with
 * {@code FOR UPDATE SKIP LOCKED}, renewed by heartbeat, released on completion or stop. A
 * claim takes the oldest free batches, but no more batches of one profile than the
 * per-profile cap allows across all instances, so that one profile's backlog never keeps
 * another profile's batches waiting for a lease. A batch an operator paused is not
 * claimed until it is resumed.
 */
@Repository
class BatchLeases {

	private final JdbcClient jdbc;

	BatchLeases(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Leases free batches to the owner.
	 * @param limit at most this many
	 * @param perProfile at most this many leased batches of one profile, counting those
	 * held by any instance
	 * @return the batches now leased, oldest first
	 */
	List<LeasedBatch> claim(String owner, Instant now, Duration lease, int limit, int perProfile) {
		return this.jdbc.sql("""
				with held as (
				    select profile_id, count(*) as n from batches
				    where status <> 'completed' and leased_until >= :now and profile_id is not null
				    group by profile_id),
				free as (
				    select b.id, b.received_at, b.profile_id,
				           row_number() over (partition by b.profile_id order by b.received_at, b.id) as rank
				    from batches b
				    where b.status <> 'completed' and (b.leased_until is null or b.leased_until < :now)
				      and b.control is distinct from 'paused'),
				picked as (
				    select free.id from free left join held using (profile_id)
				    where free.profile_id is null or free.rank + coalesce(held.n, 0) <= :perProfile
				    order by free.received_at, free.id
				    limit :limit),
				locked as (
				    select id from batches where id in (select id from picked) for update skip locked)
				update batches
				set leased_by = :owner, leased_until = :until, version = version + 1,
				    status = 'running', started_at = coalesce(started_at, :now)
				where id in (select id from locked)
				  and status <> 'completed' and (leased_until is null or leased_until < :now)
				  and control is distinct from 'paused'
				returning id, total, delay_ms, received_at, last_answer_at, traceparent,
				          exists (select 1 from batch_items i
				                  where i.batch_id = batches.id and i.status = 'starting') as interrupted
				""")
			.param("owner", owner)
			.param("until", Timestamp.from(now.plus(lease)))
			.param("now", Timestamp.from(now))
			.param("limit", limit)
			.param("perProfile", perProfile)
			.query((rs, row) -> new LeasedBatch(rs.getString("id"), rs.getInt("total"), rs.getInt("delay_ms"),
					rs.getTimestamp("received_at").toInstant(), rs.getBoolean("interrupted"),
					instant(rs.getTimestamp("last_answer_at")), now, rs.getString("traceparent")))
			.list()
			.stream()
			.sorted((a, b) -> a.receivedAt().compareTo(b.receivedAt()))
			.toList();
	}

	/**
	 * Extends the leases this owner holds.
	 * @return the batch ids whose lease was extended; a missing one was lost (or the
	 * batch completed)
	 */
	Set<String> renew(String owner, Collection<String> batchIds, Instant now, Duration lease) {
		if (batchIds.isEmpty()) {
			return Set.of();
		}
		return Set.copyOf(this.jdbc.sql("""
				update batches set leased_until = :until, version = version + 1
				where leased_by = :owner and id = any(:ids) and status <> 'completed'
				returning id
				""")
			.param("until", Timestamp.from(now.plus(lease)))
			.param("owner", owner)
			.param("ids", batchIds.toArray(String[]::new))
			.query(String.class)
			.list());
	}

	/**
	 * Gives leases back, so that any instance may claim those batches at once.
	 */
	void release(String owner, Collection<String> batchIds) {
		if (batchIds.isEmpty()) {
			return;
		}
		this.jdbc.sql("""
				update batches set leased_by = null, leased_until = null
				where leased_by = :owner and id = any(:ids)
				""").param("owner", owner).param("ids", batchIds.toArray(String[]::new)).update();
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * A batch as claimed.
	 *
	 * @param id the batch id
	 * @param total its number of items
	 * @param delayMs the least time between two of its starts
	 * @param receivedAt when it was taken in: older batches of a profile go first
	 * @param interrupted whether an item is marked {@code starting}: a start may have
	 * been on its way when its last owner stopped
	 * @param lastAnswerAt when Flow answered its latest start, if that was recorded
	 * @param claimedAt when this claim took it
	 * @param traceparent the trace context it was taken in with, which its starts
	 * continue
	 */
	record LeasedBatch(String id, int total, int delayMs, Instant receivedAt, boolean interrupted,
			@Nullable Instant lastAnswerAt, Instant claimedAt, @Nullable String traceparent) {
	}

}
