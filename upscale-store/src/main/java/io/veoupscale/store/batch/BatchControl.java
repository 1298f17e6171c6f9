package io.veoupscale.store.batch;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchPaused;
import io.veoupscale.events.BatchResumed;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.store.outbox.BatchEventPublisher;
import io.veoupscale.store.trace.TraceContexts;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cancels, pauses and resumes batches, for whoever is asked: the gateway over HTTP, or
 * any worker reading the command topic, whether or not it holds the batch. The control
 * state lives in the batch's row; the turn transaction of every worker reads it, so no
 * start of a paused or cancelled batch leaves once the command committed. Each command
 * locks the batch row first (the lock order of every writer of a batch), and a command
 * that changes nothing is answered as applied without an event, so commands are
 * idempotent. Longer than most classes: the gateway and the worker apply commands through
 * it, so that their rules live in one place.
 */
@Service
public class BatchControl {

	/** The error of an item that never started because its batch was cancelled. */
	public static final String CANCELLED_ERROR = "Batch cancelled";

	/** Cancels a batch. */
	public static final String CANCEL = "cancel";

	/** Pauses a batch. */
	public static final String PAUSE = "pause";

	/** Resumes a batch. */
	public static final String RESUME = "resume";

	private static final Logger logger = LoggerFactory.getLogger(BatchControl.class);

	private final JdbcClient jdbc;

	private final TraceContexts traces;

	private final BatchEventPublisher events;

	private final Clock clock;

	BatchControl(JdbcClient jdbc, BatchEventPublisher events, Optional<Clock> clock, TraceContexts traces) {
		this.traces = traces;
		this.jdbc = jdbc;
		this.events = events;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	/**
	 * Applies a command.
	 * @param batchId the batch
	 * @param command {@link #CANCEL}, {@link #PAUSE} or {@link #RESUME}
	 * @param upstream with {@link #CANCEL}: also cancel the started upscales at Flow
	 * @param commandId an id that makes a redelivered command act once, or null
	 * @param by who asked, for the record
	 * @return what came of it
	 */
	@Transactional
	public Result apply(String batchId, String command, boolean upstream, @Nullable String commandId, String by) {
		Instant now = this.clock.instant();
		if (commandId != null && this.jdbc
			.sql("""
					insert into batch_commands_applied (command_id, batch_id, applied_at) values (:commandId, :batchId, :now)
					on conflict (command_id) do nothing
					""")
			.param("commandId", commandId)
			.param("batchId", batchId)
			.param("now", Timestamp.from(now))
			.update() == 0) {
			return new Result(Outcome.UNCHANGED, "Command " + commandId + " was applied already");
		}
		Optional<Row> locked = lock(batchId);
		if (locked.isEmpty()) {
			return queuedOrMissing(batchId);
		}
		Row row = locked.get();
		// The events join the batch's trace, whichever request asked for the command.
		try (TraceContexts.Scope trace = this.traces.open(row.traceparent())) {
			return switch (command) {
				case CANCEL -> cancel(row, upstream, by, now);
				case PAUSE -> pause(row, by, now);
				case RESUME -> resume(row, by, now);
				default -> throw new IllegalArgumentException("Unknown command " + command);
			};
		}
	}

	private Result cancel(Row row, boolean upstream, String by, Instant now) {
		if (row.cancelledAt() != null || "cancelling".equals(row.control())) {
			return new Result(Outcome.UNCHANGED, "Batch " + row.id() + " is cancelled");
		}
		if (row.completed()) {
			return new Result(Outcome.CONFLICT,
					"Batch " + row.id() + " has completed; there is nothing left to cancel");
		}
		List<CancelledItem> cancelled = this.jdbc.sql("""
				update batch_items set status = 'failed', error = :error, finished_at = :now
				where batch_id = :id and status = 'pending'
				returning item_index, source_generation_id
				""")
			.param("error", CANCELLED_ERROR)
			.param("now", Timestamp.from(now))
			.param("id", row.id())
			.query((rs, n) -> new CancelledItem(rs.getInt(1), rs.getString(2)))
			.list()
			.stream()
			.sorted((a, b) -> Integer.compare(a.index(), b.index()))
			.toList();
		this.jdbc.sql("""
				update batches
				set failure_count = failure_count + :n, cancelled_count = cancelled_count + :n,
				    control = 'cancelling', control_by = :by, control_at = :now, cancel_upstream = :upstream
				where id = :id
				""")
			.param("n", cancelled.size())
			.param("by", by)
			.param("now", Timestamp.from(now))
			.param("upstream", upstream)
			.param("id", row.id())
			.update();
		for (CancelledItem item : cancelled) {
			this.events.publish(ItemProgressed.failed(row.id(), item.index(), row.total(), item.sourceGenerationId(),
					CANCELLED_ERROR, eventId(), now));
		}
		int upstreamCancels = upstream ? this.jdbc.sql("""
				update operation_checks set cancel_requested_at = :now, next_check_at = :now
				where batch_id = :id and cancel_requested_at is null
				""").param("now", Timestamp.from(now)).param("id", row.id()).update() : 0;
		boolean concluded = concludeCancelled(row.id(), now);
		logger.info("batch {}: cancelled by {}; {} unstarted item(s) failed{}{}", row.id(), by, cancelled.size(),
				upstream ? ", " + upstreamCancels + " upscale(s) to cancel at Flow" : "",
				concluded ? "" : "; a start in flight ends first");
		return new Result(Outcome.APPLIED, "Batch " + row.id() + " is cancelled");
	}

	/**
	 * Completes a batch being cancelled once no start of it is in flight, with its
	 * {@code completed} event; whoever gets here first (this command, or the worker that
	 * records the start in flight) completes it, once.
	 * @return whether it completed now
	 */
	public boolean concludeCancelled(String batchId, Instant now) {
		Optional<Completion> completed = this.jdbc.sql("""
				update batches
				set status = 'completed', completed_at = :now, cancelled_at = :now, control = null,
				    leased_by = null, leased_until = null
				where id = :id and status <> 'completed' and control = 'cancelling'
				  and success_count + failure_count = total
				  and not exists (select 1 from batch_items i where i.batch_id = batches.id and i.status = 'starting')
				returning success_count, failure_count, total, cancelled_count, traceparent
				""")
			.param("id", batchId)
			.param("now", Timestamp.from(now))
			.query((rs,
					n) -> new Completion(new BatchCompleted(batchId, rs.getInt(1), rs.getInt(2), rs.getInt(3),
							eventId(), now, rs.getInt(4)), rs.getString(5)))
			.optional();
		completed.ifPresent((completion) -> {
			try (TraceContexts.Scope trace = this.traces.open(completion.traceparent())) {
				this.events.publish(completion.event());
			}
		});
		return completed.isPresent();
	}

	private Result pause(Row row, String by, Instant now) {
		if (row.completed() || "cancelling".equals(row.control())) {
			return new Result(Outcome.CONFLICT,
					"Batch " + row.id() + " has " + row.finishedHow() + "; it cannot be paused");
		}
		if ("paused".equals(row.control())) {
			return new Result(Outcome.UNCHANGED, "Batch " + row.id() + " is paused");
		}
		setControl(row.id(), "paused", by, now);
		this.events.publish(new BatchPaused(row.id(), row.ended(), row.total(), eventId(), now));
		logger.info("batch {}: paused by {} after {} of {} item(s)", row.id(), by, row.ended(), row.total());
		return new Result(Outcome.APPLIED, "Batch " + row.id() + " is paused");
	}

	private Result resume(Row row, String by, Instant now) {
		if (row.completed() || "cancelling".equals(row.control())) {
			return new Result(Outcome.CONFLICT,
					"Batch " + row.id() + " has " + row.finishedHow() + "; it cannot be resumed");
		}
		if (row.control() == null) {
			return new Result(Outcome.UNCHANGED, "Batch " + row.id() + " is not paused");
		}
		setControl(row.id(), null, by, now);
		this.events.publish(new BatchResumed(row.id(), row.ended(), row.total(), eventId(), now));
		logger.info("batch {}: resumed by {} at item {} of {}", row.id(), by, row.ended() + 1, row.total());
		return new Result(Outcome.APPLIED, "Batch " + row.id() + " is resumed");
	}

	private void setControl(String batchId, @Nullable String control, String by, Instant now) {
		this.jdbc.sql("""
				update batches set control = cast(:control as varchar), control_by = :by, control_at = :now
				where id = :id
				""")
			.param("control", control)
			.param("by", by)
			.param("now", Timestamp.from(now))
			.param("id", batchId)
			.update();
	}

	private Optional<Row> lock(String batchId) {
		return this.jdbc.sql("""
				select id, status, control, cancelled_at, total, success_count + failure_count as ended, traceparent
				from batches where id = :id for update
				""")
			.param("id", batchId)
			.query((rs, n) -> new Row(rs.getString("id"), "completed".equals(rs.getString("status")),
					rs.getString("control"), rs.getTimestamp("cancelled_at"), rs.getInt("total"), rs.getInt("ended"),
					rs.getString("traceparent")))
			.optional();
	}

	private Result queuedOrMissing(String batchId) {
		boolean accepted = this.jdbc.sql("select count(*) from accepted_batches where batch_id = :id")
			.param("id", batchId)
			.query(Integer.class)
			.single() > 0;
		if (accepted) {
			return new Result(Outcome.QUEUED,
					"Batch " + batchId + " is queued and no worker has taken it in yet; try again in a moment");
		}
		return new Result(Outcome.NOT_FOUND, "Batch " + batchId + " not found");
	}

	private static String eventId() {
		return UUID.randomUUID().toString();
	}

	/**
	 * What came of a command.
	 *
	 * @param outcome the kind of outcome
	 * @param message what to tell the caller
	 */
	public record Result(Outcome outcome, String message) {
	}

	/**
	 * The kinds of outcome of a command.
	 */
	public enum Outcome {

		/** The command changed the batch. */
		APPLIED,

		/** The batch was in that state already (or the command was applied before). */
		UNCHANGED,

		/** The batch's state does not allow the command. */
		CONFLICT,

		/** The batch was accepted but no worker has taken it in yet. */
		QUEUED,

		/** No batch with this id is known. */
		NOT_FOUND

	}

	private record Row(String id, boolean completed, @Nullable String control, @Nullable Timestamp cancelledAt,
			int total, int ended, @Nullable String traceparent) {

		String finishedHow() {
			if (this.cancelledAt != null || "cancelling".equals(this.control)) {
				return "been cancelled";
			}
			return "completed";
		}

	}

	private record CancelledItem(int index, String sourceGenerationId) {
	}

	private record Completion(BatchCompleted event, @Nullable String traceparent) {
	}

}
