package io.veoupscale.worker.batch;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Batches and items in PostgreSQL, written around every upstream call. Every record of an
 * outcome starts with its batch row, updated only while this owner's lease holds: that
 * fence stops a worker whose lease has passed to another, and keeps the lock order
 * (batch, then item, then profile) the same in every transaction that writes the batch
 * row. Longer than most classes: every fenced write of a batch is here, so the fence and
 * the lock order can be checked in one file.
 */
@Repository
class BatchRepository {

	private final JdbcClient jdbc;

	BatchRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The batch's items still to start, in order.
	 * @param afterIndex only items after this index
	 * @param limit at most this many
	 */
	List<Item> unfinishedItems(String batchId, int afterIndex, int limit) {
		return this.jdbc.sql("""
				select item_index, source_generation_id, model, scene_id, upscale_id, status, attempt_started_at
				from batch_items
				where batch_id = :id and item_index > :after and status in ('pending', 'starting')
				order by item_index
				limit :limit
				""").param("id", batchId).param("after", afterIndex).param("limit", limit).query((rs, row) -> {
			Timestamp attempt = rs.getTimestamp("attempt_started_at");
			return new Item(rs.getInt("item_index"), rs.getString("source_generation_id"), rs.getString("model"),
					rs.getObject("scene_id", UUID.class).toString(), rs.getString("upscale_id"), rs.getString("status"),
					(attempt != null) ? attempt.toInstant() : null);
		}).list();
	}

	/**
	 * Marks the batch's next item {@code starting}, to leave at {@code sendAt}: after a
	 * crash its outcome is unknown, and it is never sent again. The lease is read, not
	 * locked, so that the record of the batch's previous item (which writes the batch
	 * row) never holds this turn up; the caller sends only before the lease it read runs
	 * out, and an instance that takes the batch over claims it only after that, so it
	 * sees this mark.
	 * @return until when this owner's lease holds
	 * @throws LeaseLostException if the lease does not hold past {@code sendAt}
	 */
	Instant markStarting(String batchId, String owner, int index, Instant now, Instant sendAt) {
		Marking marking = this.jdbc.sql("""
				with lease as (
				    select leased_until, control from batches
				    where id = :id and leased_by = :owner and leased_until > :sendAt),
				marked as (
				    update batch_items set status = 'starting', attempt_started_at = :now
				    where batch_id = :id and item_index = :index and status in ('pending', 'starting')
				      and exists (select 1 from lease where control is null)
				    returning item_index)
				select (select leased_until from lease), (select control from lease), (select count(*) from marked)
				""")
			.param("id", batchId)
			.param("owner", owner)
			.param("index", index)
			.param("now", Timestamp.from(now))
			.param("sendAt", Timestamp.from(sendAt))
			.query((rs, row) -> new Marking(instant(rs.getTimestamp(1)), rs.getString(2), rs.getInt(3)))
			.single();
		if (marking.leasedUntil() == null) {
			throw new LeaseLostException(batchId);
		}
		if (marking.control() != null) {
			throw new BatchHeldException(batchId, marking.control());
		}
		if (marking.items() != 1) {
			throw ended(batchId, index);
		}
		return marking.leasedUntil();
	}

	private record Marking(@Nullable Instant leasedUntil, @Nullable String control, int items) {
	}

	/**
	 * Puts an item whose start Flow certainly did not take back to {@code pending}.
	 * @param call the start that was tried, or null if none left
	 */
	void markPending(String batchId, String owner, int index, @Nullable Call call, Instant now) {
		fence(this.jdbc.sql("""
				update batches set last_answer_at = coalesce(:answeredAt, last_answer_at)
				where id = :id and leased_by = :owner and leased_until > :now
				""").param("answeredAt", answeredAt(call)).param("now", Timestamp.from(now)), batchId, owner);
		updateItem(this.jdbc.sql("""
				update batch_items set status = 'pending', attempt_started_at = null
				where batch_id = :id and item_index = :index and status in ('pending', 'starting')
				"""), batchId, index);
	}

	/**
	 * Ends an item as failed.
	 * @param call the start that was tried, or null if none was
	 */
	void markFailed(String batchId, String owner, int index, String error, @Nullable Call call, Instant now) {
		fence(this.jdbc.sql("""
				update batches set failure_count = failure_count + 1,
				                   last_answer_at = coalesce(:answeredAt, last_answer_at)
				where id = :id and leased_by = :owner and leased_until > :now
				""").param("answeredAt", answeredAt(call)).param("now", Timestamp.from(now)), batchId, owner);
		updateItem(this.jdbc.sql("""
				update batch_items set status = 'failed', error = :error, finished_at = :now,
				                       sent_at = :sentAt, answered_at = :answeredAt
				where batch_id = :id and item_index = :index and status in ('pending', 'starting')
				""")
			.param("error", error)
			.param("now", Timestamp.from(now))
			.param("sentAt", (call != null && call.sentAt() != null) ? Timestamp.from(call.sentAt()) : null)
			.param("answeredAt", answeredAt(call)), batchId, index);
	}

	/**
	 * Ends an item as started and records its upscale.
	 */
	void markStarted(String batchId, String owner, Item item, StartedItem started, Call call, Instant now) {
		fence(this.jdbc.sql("""
				update batches set success_count = success_count + 1, last_answer_at = :answeredAt
				where id = :id and leased_by = :owner and leased_until > :now
				""").param("answeredAt", answeredAt(call)).param("now", Timestamp.from(now)), batchId, owner);
		this.jdbc.sql("""
				insert into upscales (id, batch_id, item_index, source_generation_id, profile_id, model, model_key,
				                      scene_id, operation_name, flow_project_id, status, created_at, updated_at)
				values (:upscaleId, :batchId, :index, :sourceId, :profileId, :model, :modelKey, cast(:sceneId as uuid),
				        :operationName, :flowProjectId, 'pending', :now, :now)
				""")
			.param("upscaleId", item.upscaleId())
			.param("batchId", batchId)
			.param("index", item.index())
			.param("sourceId", item.sourceGenerationId())
			.param("profileId", started.profileId())
			.param("model", item.model())
			.param("modelKey", started.modelKey())
			.param("sceneId", item.sceneId())
			.param("operationName", started.operationName())
			.param("flowProjectId", started.flowProjectId())
			.param("now", Timestamp.from(now))
			.update();
		updateItem(this.jdbc.sql("""
				update batch_items set status = 'started', finished_at = :now, sent_at = :sentAt,
				                       answered_at = :answeredAt
				where batch_id = :id and item_index = :index and status in ('pending', 'starting')
				""")
			.param("now", Timestamp.from(now))
			.param("sentAt", (call.sentAt() != null) ? Timestamp.from(call.sentAt()) : null)
			.param("answeredAt", answeredAt(call)), batchId, item.index());
	}

	/**
	 * Marks the batch completed once all its items ended, and gives its lease up.
	 * @return the final counts, or empty if the batch was completed already or items
	 * remain
	 */
	Optional<Counts> complete(String batchId, Instant now) {
		return this.jdbc.sql("""
				update batches
				set status = 'completed', completed_at = :now, leased_by = null, leased_until = null,
				    cancelled_at = case when control = 'cancelling' then cast(:now as timestamptz) end, control = null
				where id = :id and status <> 'completed' and success_count + failure_count = total
				returning success_count, failure_count, total, cancelled_count
				""")
			.param("id", batchId)
			.param("now", Timestamp.from(now))
			.query((rs, row) -> new Counts(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)))
			.optional();
	}

	private static void fence(JdbcClient.StatementSpec update, String batchId, String owner) {
		if (update.param("id", batchId).param("owner", owner).update() == 0) {
			throw new LeaseLostException(batchId);
		}
	}

	private void updateItem(JdbcClient.StatementSpec update, String batchId, int index) {
		if (update.param("id", batchId).param("index", index).update() != 1) {
			throw ended(batchId, index);
		}
	}

	/**
	 * The error of an item found ended when it was to be written: ended by an operator's
	 * cancel, which is expected, or by something that should not have happened.
	 */
	private RuntimeException ended(String batchId, int index) {
		String control = this.jdbc
			.sql("select coalesce(control, case when cancelled_at is not null then 'cancelled' end) "
					+ "from batches where id = :id")
			.param("id", batchId)
			.query(String.class)
			.optional()
			.orElse(null);
		if (control != null) {
			return new BatchHeldException(batchId, control);
		}
		return new IllegalStateException("Item " + index + " of batch " + batchId + " has ended already");
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static @Nullable Timestamp answeredAt(@Nullable Call call) {
		return (call != null) ? Timestamp.from(call.answeredAt()) : null;
	}

	/**
	 * An item still to start.
	 *
	 * @param attemptStartedAt when its latest start was set to leave, if it was
	 */
	record Item(int index, String sourceGenerationId, String model, String sceneId, String upscaleId, String status,
			@Nullable Instant attemptStartedAt) {

		/**
		 * Whether a start of this item may have been sent by an instance that stopped
		 * before it learnt the outcome.
		 */
		boolean interrupted() {
			return "starting".equals(this.status);
		}

	}

	/**
	 * An upscale Flow took (or had).
	 *
	 * @param modelKey the model key sent to Flow for the item's model
	 */
	record StartedItem(String profileId, String operationName, @Nullable String flowProjectId, String modelKey) {
	}

	/**
	 * A completed batch's counts.
	 *
	 * @param cancelledCount items that never started because an operator cancelled the
	 * batch
	 */
	record Counts(int successCount, int failureCount, int total, int cancelledCount) {
	}

	/**
	 * A start on the wire, as the worker saw it.
	 *
	 * @param sentAt when it left, or null if it never did
	 * @param answeredAt when Flow's answer arrived, or when the call ended without one
	 */
	record Call(@Nullable Instant sentAt, Instant answeredAt) {
	}

}
