package io.veoupscale.poller.operation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.poller.PollerProperties;
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

	private final Clock clock;

	OperationRepository(JdbcClient jdbc, JdbcTemplate jdbcTemplate, PollerProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Schedules an initiated upscale, once however often it is delivered; an upscale that
	 * has already ended is not scheduled again.
	 * @return whether it was newly scheduled
	 */
	boolean track(UpscaleInitiated initiated) {
		Instant now = this.clock.instant();
		return this.jdbc.sql("""
				insert into operation_checks (upscale_id, batch_id, source_generation_id, profile_id, operation_name,
				                              flow_project_id, next_check_at, deadline_at, check_interval_ms)
				select :upscaleId, :batchId, :sourceId, :profileId, :operationName, :flowProjectId, :firstCheck,
				       :deadline, :interval
				where exists (select 1 from upscales where id = :upscaleId and status in ('pending', 'processing'))
				on conflict (upscale_id) do nothing
				""")
			.param("upscaleId", initiated.upscaleId())
			.param("batchId", initiated.batchId())
			.param("sourceId", initiated.sourceGenerationId())
			.param("profileId", initiated.profileId())
			.param("operationName", initiated.operationName())
			.param("flowProjectId", initiated.flowProjectId())
			.param("firstCheck", Timestamp.from(now.plus(this.properties.firstCheckDelay())))
			.param("deadline", Timestamp.from(initiated.initiatedAt().plus(this.properties.deadline())))
			.param("interval", (int) this.properties.checkInterval().toMillis())
			.update() == 1;
	}

	List<DueOperation> claimDue(String owner, Instant now) {
		return this.jdbc.sql("""
				update operation_checks c
				set leased_by = :owner, leased_until = :until, version = c.version + 1
				from (select upscale_id from operation_checks
				      where next_check_at <= :now and (leased_until is null or leased_until < :now)
				      order by next_check_at
				      limit :limit
				      for update skip locked) due
				where c.upscale_id = due.upscale_id
				returning c.upscale_id, c.batch_id, c.source_generation_id, c.profile_id, c.operation_name,
				          c.flow_project_id, c.deadline_at, c.check_interval_ms, c.consecutive_errors
				""")
			.param("owner", owner)
			.param("until", Timestamp.from(now.plus(this.properties.leaseDuration())))
			.param("now", Timestamp.from(now))
			.param("limit", this.properties.claimBatchSize())
			.query((rs, row) -> new DueOperation(rs.getString("upscale_id"), rs.getString("batch_id"),
					rs.getString("source_generation_id"), rs.getString("profile_id"), rs.getString("operation_name"),
					rs.getString("flow_project_id"), rs.getTimestamp("deadline_at").toInstant(),
					rs.getInt("check_interval_ms"), rs.getInt("consecutive_errors")))
			.list();
	}

	/**
	 * Writes the next check of operations still running, releasing their leases.
	 */
	void reschedule(List<Rescheduled> operations, String owner) {
		this.jdbcTemplate.batchUpdate("""
				update operation_checks
				set next_check_at = ?, check_interval_ms = ?, checks = checks + 1, consecutive_errors = ?,
				    last_error = ?, leased_by = null, leased_until = null, version = version + 1
				where upscale_id = ? and leased_by = ?
				""", operations, operations.size(), (statement, operation) -> {
			statement.setTimestamp(1, Timestamp.from(operation.nextCheckAt()));
			statement.setInt(2, operation.intervalMs());
			statement.setInt(3, operation.consecutiveErrors());
			statement.setString(4, operation.lastError());
			statement.setString(5, operation.upscaleId());
			statement.setString(6, owner);
		});
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
	 * Records the end of upscales and drops them from the schedule. Only ends this owner
	 * still holds the lease for are written.
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
				update upscales set status = ?, video_url = ?, error = ?, updated_at = ?, completed_at = ?
				where id = ? and status in ('pending', 'processing')
				""", written, written.size(), (statement, end) -> {
			statement.setString(1, end.status());
			statement.setString(2, end.videoUrl());
			statement.setString(3, end.error());
			statement.setTimestamp(4, Timestamp.from(now));
			statement.setTimestamp(5, Timestamp.from(now));
			statement.setString(6, end.operation().upscaleId());
		});
		return written;
	}

	record DueOperation(String upscaleId, String batchId, String sourceGenerationId, String profileId,
			String operationName, @Nullable String flowProjectId, Instant deadline, int intervalMs,
			int consecutiveErrors) {
	}

	record Rescheduled(String upscaleId, Instant nextCheckAt, int intervalMs, int consecutiveErrors,
			@Nullable String lastError) {
	}

	record Finished(DueOperation operation, String status, @Nullable String videoUrl, @Nullable String error) {
	}

}
