package io.veoupscale.poller.operation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.poller.PollerProperties;
import io.veoupscale.store.trace.TraceContexts;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The poll schedule: one row per running upscale, claimed in one statement with
 * {@code FOR UPDATE SKIP LOCKED}, rescheduled and finished in batches.
 */
@Repository
class OperationRepository {

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final PollerProperties properties;

	private final CheckSchedule schedule;

	private final Clock clock;

	private final TraceContexts traces;

	OperationRepository(JdbcClient jdbc, JdbcTemplate jdbcTemplate, PollerProperties properties, CheckSchedule schedule,
			Clock clock, TraceContexts traces) {
		this.traces = traces;
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.properties = properties;
		this.schedule = schedule;
		this.clock = clock;
	}

	/**
	 * Schedules an initiated upscale, once however often it is delivered, with the trace
	 * context its record arrived in (its checks join that trace); an upscale that has
	 * already ended is not scheduled again. An upscale of a batch cancelled with
	 * {@code upstream=true} is scheduled to be cancelled at Flow. Its batch's row is read
	 * with a share lock: a cancel committing at the same moment either is seen here, or
	 * waits and then finds this row among those it marks, so no upscale slips between the
	 * two.
	 * @return whether it was newly scheduled
	 */
	boolean track(UpscaleInitiated initiated) {
		CheckSchedule.FirstCheck first = this.schedule.first(initiated, this.clock.instant());
		return this.jdbc
			.sql("""
					insert into operation_checks (upscale_id, batch_id, source_generation_id, profile_id, operation_name,
					                              flow_project_id, next_check_at, deadline_at, check_interval_ms, initiated_at,
					                              cancel_requested_at, traceparent)
					select :upscaleId, :batchId, :sourceId, :profileId, :operationName, :flowProjectId, :firstCheck,
					       :deadline, :interval, :initiatedAt,
					       (select case when cancel_upstream then control_at end from batches where id = :batchId
					        for share), :traceparent
					where exists (select 1 from upscales where id = :upscaleId and status in ('pending', 'processing'))
					on conflict (upscale_id) do nothing
					""")
			.param("upscaleId", initiated.upscaleId())
			.param("batchId", initiated.batchId())
			.param("sourceId", initiated.sourceGenerationId())
			.param("profileId", initiated.profileId())
			.param("operationName", initiated.operationName())
			.param("flowProjectId", initiated.flowProjectId())
			.param("firstCheck", Timestamp.from(first.nextCheckAt()))
			.param("deadline", Timestamp.from(first.deadline()))
			.param("interval", first.intervalMs())
			.param("initiatedAt", Timestamp.from(initiated.initiatedAt()))
			.param("traceparent", this.traces.current())
			.update() == 1;
	}

	/**
	 * Leases the longest-due operations to an owner. An operation whose lease had run out
	 * (its poller stopped mid-check) is taken over and says so.
	 */
	List<DueOperation> claimDue(String owner, Instant now) {
		return this.jdbc.sql("""
				update operation_checks c
				set leased_by = :owner, leased_until = :until, version = c.version + 1
				from (select upscale_id, leased_until is not null as lease_expired from operation_checks
				      where next_check_at <= :now and (leased_until is null or leased_until < :now)
				      order by next_check_at
				      limit :limit
				      for update skip locked) due
				where c.upscale_id = due.upscale_id
				returning c.upscale_id, c.batch_id, c.source_generation_id, c.profile_id, c.operation_name,
				          c.flow_project_id, c.deadline_at, c.check_interval_ms, c.consecutive_errors, c.initiated_at,
				          due.lease_expired, c.cancel_requested_at is not null as cancel_requested, c.traceparent
				""")
			.param("owner", owner)
			.param("until", Timestamp.from(now.plus(this.properties.leaseDuration())))
			.param("now", Timestamp.from(now))
			.param("limit", this.properties.claimBatchSize())
			.query((rs, row) -> {
				Timestamp initiatedAt = rs.getTimestamp("initiated_at");
				return new DueOperation(rs.getString("upscale_id"), rs.getString("batch_id"),
						rs.getString("source_generation_id"), rs.getString("profile_id"),
						rs.getString("operation_name"), rs.getString("flow_project_id"),
						rs.getTimestamp("deadline_at").toInstant(), rs.getInt("check_interval_ms"),
						rs.getInt("consecutive_errors"), (initiatedAt != null) ? initiatedAt.toInstant() : null,
						rs.getBoolean("lease_expired"), rs.getBoolean("cancel_requested"), rs.getString("traceparent"));
			})
			.list();
	}

	/**
	 * Counts the operations being tracked by the status of their upscale.
	 * @return upscale status to count
	 */
	Map<String, Long> countInFlight() {
		Map<String, Long> counts = new HashMap<>();
		this.jdbc.sql("""
				select u.status, count(*) from operation_checks c join upscales u on u.id = c.upscale_id
				group by u.status
				""").query((rs) -> {
			counts.put(rs.getString(1), rs.getLong(2));
		});
		return counts;
	}

	/**
	 * Writes the next check of operations still running, releasing their leases, in one
	 * statement.
	 */
	void reschedule(List<Rescheduled> operations, String owner) {
		if (operations.isEmpty()) {
			return;
		}
		this.jdbc.sql("""
				update operation_checks c
				set next_check_at = to_timestamp(n.next_check_ms / 1000.0), check_interval_ms = n.interval_ms,
				    checks = c.checks + 1, consecutive_errors = n.consecutive_errors, last_error = n.last_error,
				    leased_by = null, leased_until = null, version = c.version + 1
				from unnest(:ids, :nextChecks, :intervals, :errors, :lastErrors)
				     as n(upscale_id, next_check_ms, interval_ms, consecutive_errors, last_error)
				where c.upscale_id = n.upscale_id and c.leased_by = :owner
				""")
			.param("ids", operations.stream().map(Rescheduled::upscaleId).toArray(String[]::new))
			.param("nextChecks",
					operations.stream().mapToLong((operation) -> operation.nextCheckAt().toEpochMilli()).toArray())
			.param("intervals", operations.stream().mapToInt(Rescheduled::intervalMs).toArray())
			.param("errors", operations.stream().mapToInt(Rescheduled::consecutiveErrors).toArray())
			.param("lastErrors", operations.stream().map(Rescheduled::lastError).toArray(String[]::new))
			.param("owner", owner)
			.update();
	}

	/**
	 * Marks upscales that Flow reports running as processing.
	 */
	void markProcessing(List<String> upscaleIds, Instant now) {
		if (upscaleIds.isEmpty()) {
			return;
		}
		this.jdbc.sql("""
				update upscales set status = 'processing', updated_at = :now
				where id = any(:ids) and status = 'pending'
				""").param("ids", upscaleIds.toArray(String[]::new)).param("now", Timestamp.from(now)).update();
	}

	/**
	 * Records the end of upscales, with when their video URL was resolved (it expires),
	 * and drops them from the schedule. Only ends this owner still holds the lease for
	 * are written.
	 * @return the ends that were written
	 */
	List<Finished> finish(List<Finished> ends, String owner, Instant now) {
		if (ends.isEmpty()) {
			return ends;
		}
		Set<String> owned = Set.copyOf(this.jdbc.sql("""
				delete from operation_checks where upscale_id = any(:ids) and leased_by = :owner
				returning upscale_id
				""")
			.param("ids", ends.stream().map((end) -> end.operation().upscaleId()).toArray(String[]::new))
			.param("owner", owner)
			.query(String.class)
			.list());
		List<Finished> written = ends.stream().filter((end) -> owned.contains(end.operation().upscaleId())).toList();
		this.jdbcTemplate.batchUpdate("""
				update upscales set status = ?, video_url = ?, video_url_at = ?, error = ?, updated_at = ?,
				                    completed_at = ?
				where id = ? and status in ('pending', 'processing')
				""", written, written.size(), (statement, end) -> {
			statement.setString(1, end.status());
			statement.setString(2, end.videoUrl());
			statement.setTimestamp(3, (end.videoUrl() != null) ? Timestamp.from(now) : null);
			statement.setString(4, end.error());
			statement.setTimestamp(5, Timestamp.from(now));
			statement.setTimestamp(6, Timestamp.from(now));
			statement.setString(7, end.operation().upscaleId());
		});
		return written;
	}

	/**
	 * An operation due for a check.
	 *
	 * @param cancelRequested whether its batch was cancelled with {@code upstream=true}:
	 * the generation is to be cancelled at Flow
	 * @param traceparent the trace context the upscale was tracked in, which its checks
	 * continue
	 */
	record DueOperation(String upscaleId, String batchId, String sourceGenerationId, String profileId,
			String operationName, @Nullable String flowProjectId, Instant deadline, int intervalMs,
			int consecutiveErrors, @Nullable Instant initiatedAt, boolean leaseExpired, boolean cancelRequested,
			@Nullable String traceparent) {

		DueOperation(String upscaleId, String batchId, String sourceGenerationId, String profileId,
				String operationName, @Nullable String flowProjectId, Instant deadline, int intervalMs,
				int consecutiveErrors, @Nullable Instant initiatedAt, boolean leaseExpired) {
			this(upscaleId, batchId, sourceGenerationId, profileId, operationName, flowProjectId, deadline, intervalMs,
					consecutiveErrors, initiatedAt, leaseExpired, false, null);
		}

	}

	record Rescheduled(String upscaleId, Instant nextCheckAt, int intervalMs, int consecutiveErrors,
			@Nullable String lastError) {
	}

	record Finished(DueOperation operation, String status, @Nullable String videoUrl, @Nullable String error) {
	}

}
