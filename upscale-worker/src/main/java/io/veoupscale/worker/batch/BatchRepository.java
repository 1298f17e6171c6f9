package io.veoupscale.worker.batch;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Batches and items in PostgreSQL: leases claimed with {@code FOR UPDATE SKIP LOCKED},
 * item state written around every upstream call, and a fence that stops a worker whose
 * lease has passed to another.
 */
@Repository
class BatchRepository {

	private final JdbcClient jdbc;

	BatchRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<LeasedBatch> claim(String owner, Instant now, Duration lease) {
		return this.jdbc.sql("""
				update batches
				set leased_by = :owner, leased_until = :until, version = version + 1,
				    status = 'running', started_at = coalesce(started_at, :now)
				where id = (select id from batches
				            where status <> 'completed' and (leased_until is null or leased_until < :now)
				            order by received_at, id
				            limit 1
				            for update skip locked)
				returning id, total, delay_ms, last_start_at, success_count, failure_count
				""")
			.param("owner", owner)
			.param("until", Timestamp.from(now.plus(lease)))
			.param("now", Timestamp.from(now))
			.query((rs, row) -> new LeasedBatch(rs.getString("id"), rs.getInt("total"), rs.getInt("delay_ms"),
					instant(rs.getTimestamp("last_start_at")), rs.getInt("success_count"), rs.getInt("failure_count")))
			.optional();
	}

	/**
	 * Extends the leases this owner holds.
	 * @return the batch ids whose lease was extended; a missing one was lost
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

	void release(String batchId, String owner) {
		this.jdbc.sql("update batches set leased_by = null, leased_until = null where id = :id and leased_by = :owner")
			.param("id", batchId)
			.param("owner", owner)
			.update();
	}

	/**
	 * Locks the batch row for the current transaction if this owner still holds its
	 * lease.
	 * @throws LeaseLostException if another instance took the batch over
	 */
	void fence(String batchId, String owner, Instant now) {
		boolean held = this.jdbc.sql("""
				select id from batches
				where id = :id and leased_by = :owner and leased_until > :now
				for update
				""")
			.param("id", batchId)
			.param("owner", owner)
			.param("now", Timestamp.from(now))
			.query(String.class)
			.optional()
			.isPresent();
		if (!held) {
			throw new LeaseLostException(batchId);
		}
	}

	List<Item> unfinishedItems(String batchId) {
		return this.jdbc.sql("""
				select item_index, source_generation_id, model, scene_id, upscale_id, status
				from batch_items
				where batch_id = :id and status in ('pending', 'starting')
				order by item_index
				""")
			.param("id", batchId)
			.query((rs, row) -> new Item(rs.getInt("item_index"), rs.getString("source_generation_id"),
					rs.getString("model"), rs.getObject("scene_id", UUID.class).toString(), rs.getString("upscale_id"),
					rs.getString("status")))
			.list();
	}

	void markStarting(String batchId, int index, Instant now) {
		this.jdbc.sql("""
				update batch_items set status = 'starting', attempt_started_at = :now
				where batch_id = :id and item_index = :index and status in ('pending', 'starting')
				""").param("id", batchId).param("index", index).param("now", Timestamp.from(now)).update();
		this.jdbc.sql("update batches set last_start_at = :now where id = :id")
			.param("id", batchId)
			.param("now", Timestamp.from(now))
			.update();
	}

	void markPending(String batchId, int index) {
		this.jdbc.sql("""
				update batch_items set status = 'pending', attempt_started_at = null
				where batch_id = :id and item_index = :index and status = 'starting'
				""").param("id", batchId).param("index", index).update();
	}

	void markFailed(String batchId, int index, String error, Instant now) {
		int updated = this.jdbc.sql("""
				update batch_items set status = 'failed', error = :error, finished_at = :now
				where batch_id = :id and item_index = :index and status in ('pending', 'starting')
				""")
			.param("id", batchId)
			.param("index", index)
			.param("error", error)
			.param("now", Timestamp.from(now))
			.update();
		if (updated == 1) {
			this.jdbc.sql("update batches set failure_count = failure_count + 1 where id = :id")
				.param("id", batchId)
				.update();
		}
	}

	void markStarted(String batchId, Item item, StartedItem started, Instant now) {
		this.jdbc.sql("""
				insert into upscales (id, batch_id, item_index, source_generation_id, profile_id, model, scene_id,
				                      operation_name, flow_project_id, status, created_at, updated_at)
				values (:upscaleId, :batchId, :index, :sourceId, :profileId, :model, cast(:sceneId as uuid),
				        :operationName, :flowProjectId, 'pending', :now, :now)
				""")
			.param("upscaleId", item.upscaleId())
			.param("batchId", batchId)
			.param("index", item.index())
			.param("sourceId", item.sourceGenerationId())
			.param("profileId", started.profileId())
			.param("model", item.model())
			.param("sceneId", item.sceneId())
			.param("operationName", started.operationName())
			.param("flowProjectId", started.flowProjectId())
			.param("now", Timestamp.from(now))
			.update();
		this.jdbc.sql("""
				update batch_items set status = 'started', finished_at = :now
				where batch_id = :id and item_index = :index
				""").param("id", batchId).param("index", item.index()).param("now", Timestamp.from(now)).update();
		this.jdbc.sql("update batches set success_count = success_count + 1 where id = :id")
			.param("id", batchId)
			.update();
	}

	/**
	 * Marks the batch completed once all its items ended.
	 * @return the final counts, or empty if the batch was completed already or items
	 * remain
	 */
	Optional<Counts> complete(String batchId, Instant now) {
		return this.jdbc.sql("""
				update batches
				set status = 'completed', completed_at = :now, leased_by = null, leased_until = null
				where id = :id and status <> 'completed' and success_count + failure_count = total
				returning success_count, failure_count, total
				""")
			.param("id", batchId)
			.param("now", Timestamp.from(now))
			.query((rs, row) -> new Counts(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
			.optional();
	}

	Counts counts(String batchId) {
		return this.jdbc.sql("select success_count, failure_count, total from batches where id = :id")
			.param("id", batchId)
			.query((rs, row) -> new Counts(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
			.single();
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	record LeasedBatch(String id, int total, int delayMs, @Nullable Instant lastStartAt, int successCount,
			int failureCount) {
	}

	record Item(int index, String sourceGenerationId, String model, String sceneId, String upscaleId, String status) {

		boolean interrupted() {
			return "starting".equals(this.status);
		}

	}

	record StartedItem(String profileId, String operationName, @Nullable String flowProjectId) {
	}

	record Counts(int successCount, int failureCount, int total) {
	}

}
