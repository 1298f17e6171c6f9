package io.veoupscale.gateway.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.gateway.upscale.VideoLinkProperties;
import io.veoupscale.store.trace.TraceContexts;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads batch state as the workers and the poller write it: the batch, its items and
 * their upscales; until a worker has stored a batch, what this gateway accepted. Longer
 * than most classes: the one reader of batch state for the gateway (one batch, the list
 * with its cursor, the links of retries).
 */
@Repository
class BatchQueries {

	/** A batch's status as the API shows it, from its row {@code b}. */
	private static final String VIEW_STATUS = """
			case when b.cancelled_at is not null then 'cancelled' when b.status = 'completed' then 'completed'
			     when b.control = 'paused' then 'paused' when b.control = 'cancelling' then 'cancelling'
			     else b.status end""";

	private static final String ITEMS = """
			select bi.item_index, bi.source_generation_id, bi.model, bi.status, bi.error,
			       u.id as upscale_id, u.scene_id::text as scene_id, u.operation_name, u.status as upscale_status,
			       case when u.video_url_at > :freshAfter then u.video_url end as video_url,
			       u.error as upscale_error
			from batch_items bi
			left join upscales u on u.batch_id = bi.batch_id and u.item_index = bi.item_index
			where bi.batch_id = :id
			order by bi.item_index
			""";

	private final JdbcClient jdbc;

	private final AcceptedBatches accepted;

	private final VideoLinkProperties videoLinks;

	private final Clock clock;

	BatchQueries(JdbcClient jdbc, AcceptedBatches accepted, VideoLinkProperties videoLinks, Clock clock) {
		this.jdbc = jdbc;
		this.accepted = accepted;
		this.videoLinks = videoLinks;
		this.clock = clock;
	}

	/**
	 * A batch as a worker stored it or, before that, as this gateway accepted it
	 * ({@code queued}).
	 * @param batchId the batch
	 * @return the batch, or empty if neither a worker nor this gateway knows it
	 */
	@Transactional(readOnly = true)
	Optional<BatchView> find(String batchId) {
		return summary(batchId).map((found) -> (found.items() == null) ? found.withItems(items(batchId)) : found);
	}

	/**
	 * A batch as {@link #find} shows it, without its items (but a queued one's).
	 */
	@Transactional(readOnly = true)
	Optional<BatchView> summary(String batchId) {
		Optional<BatchView> batch = storedBatches(List.of(batchId)).stream().findFirst();
		if (batch.isPresent()) {
			return batch.map((found) -> found.withRetries(found.retryOf(), retriedBy(batchId)));
		}
		return this.accepted.queued(batchId).map((queued) -> queued.withRetries(retryOf(batchId), retriedBy(batchId)));
	}

	/**
	 * A page of batches, newest first (by when the gateway accepted them, or a worker
	 * received those produced straight to Kafka), each as {@link #summary} shows it.
	 * @param filter what to list
	 * @return the page, and the cursor of the next one if there may be more
	 */
	@Transactional(readOnly = true)
	BatchPage list(BatchFilter filter) {
		StringBuilder stored = new StringBuilder();
		StringBuilder queued = new StringBuilder();
		Map<String, Object> params = new HashMap<>();
		if (filter.profileId() != null) {
			stored
				.append(" and exists (select 1 from batch_items bi join generations g on g.id = bi.source_generation_id"
						+ " where bi.batch_id = b.id and g.profile_id = :profileId)");
			queued.append(" and exists (select 1 from jsonb_array_elements(a.requests) r"
					+ " join generations g on g.id = r->>'sourceGenerationId' where g.profile_id = :profileId)");
			params.put("profileId", filter.profileId());
		}
		if (filter.projectId() != null) {
			stored
				.append(" and exists (select 1 from batch_items bi join generations g on g.id = bi.source_generation_id"
						+ " where bi.batch_id = b.id and g.project_id = :projectId)");
			queued.append(" and exists (select 1 from jsonb_array_elements(a.requests) r"
					+ " join generations g on g.id = r->>'sourceGenerationId' where g.project_id = :projectId)");
			params.put("projectId", filter.projectId());
		}
		StringBuilder outer = new StringBuilder(" where true");
		if (filter.status() != null) {
			outer.append(" and l.status = :status");
			params.put("status", filter.status());
		}
		if (filter.since() != null) {
			outer.append(" and l.listed_at >= :since");
			params.put("since", Timestamp.from(filter.since()));
		}
		if (filter.after() != null) {
			outer.append(" and (l.listed_at, l.batch_id) < (:afterAt, :afterId)");
			params.put("afterAt", Timestamp.from(filter.after().listedAt()));
			params.put("afterId", filter.after().batchId());
		}
		params.put("limit", filter.limit() + 1);
		List<BatchCursor> keys = this.jdbc.sql("""
				select l.batch_id, l.listed_at from (
				    select b.id as batch_id, %s as status, coalesce(a.accepted_at, b.received_at) as listed_at
				    from batches b left join accepted_batches a on a.batch_id = b.id
				    where true %s
				    union all
				    select a.batch_id, 'queued', a.accepted_at from accepted_batches a
				    where not exists (select 1 from batches b where b.id = a.batch_id) %s
				) l %s
				order by l.listed_at desc, l.batch_id desc
				limit :limit
				""".formatted(VIEW_STATUS, stored, queued, outer))
			.params(params)
			.query((rs, row) -> new BatchCursor(rs.getTimestamp("listed_at").toInstant(), rs.getString("batch_id")))
			.list();
		boolean more = keys.size() > filter.limit();
		List<BatchCursor> page = more ? keys.subList(0, filter.limit()) : keys;
		return new BatchPage(summaries(page.stream().map(BatchCursor::batchId).toList()),
				more ? page.get(page.size() - 1).encode() : null);
	}

	/**
	 * The batches as {@link #summary} shows them, without items, in the given order; the
	 * stored ones and their retries read in one statement each, whatever their number.
	 */
	private List<BatchView> summaries(List<String> batchIds) {
		Map<String, BatchView> stored = new HashMap<>();
		storedBatches(batchIds).forEach((batch) -> stored.put(batch.batchId(), batch));
		Map<String, List<String>> retries = new HashMap<>();
		this.jdbc.sql(
				"select retry_of, batch_id from batch_retries where retry_of = any(:ids) order by created_at, batch_id")
			.param("ids", batchIds.toArray(String[]::new))
			.query((rs) -> {
				retries.computeIfAbsent(rs.getString(1), (key) -> new ArrayList<>()).add(rs.getString(2));
			});
		List<BatchView> views = new ArrayList<>(batchIds.size());
		for (String batchId : batchIds) {
			List<String> retriedBy = retries.getOrDefault(batchId, List.of());
			BatchView batch = stored.get(batchId);
			Optional<BatchView> view = (batch != null) ? Optional.of(batch.withRetries(batch.retryOf(), retriedBy))
					: this.accepted.queued(batchId).map((queued) -> queued.withRetries(retryOf(batchId), retriedBy));
			view.map((found) -> found.withItems(null)).ifPresent(views::add);
		}
		return views;
	}

	/**
	 * The stored batches among these, without items or retries.
	 */
	private List<BatchView> storedBatches(List<String> batchIds) {
		return this.jdbc.sql("""
				select b.id, %s as status, b.total, b.success_count, b.failure_count, b.delay_ms,
				       b.requested_at, a.accepted_at, b.received_at, b.started_at, b.completed_at, b.cancelled_count,
				       b.cancelled_at, b.control_at, r.retry_of, coalesce(b.traceparent, a.traceparent) as traceparent
				from batches b
				left join accepted_batches a on a.batch_id = b.id
				left join batch_retries r on r.batch_id = b.id
				where b.id = any(:ids)
				""".formatted(VIEW_STATUS))
			.param("ids", batchIds.toArray(String[]::new))
			.query((rs, row) -> batch(rs, null))
			.list();
	}

	/**
	 * The failed items of a stored batch, in order: those that failed to start, and those
	 * whose upscale failed at Flow.
	 */
	List<FailedItem> failedItems(String batchId) {
		return this.jdbc.sql("""
				select bi.item_index, bi.source_generation_id, bi.model, bi.status, bi.error, u.status as upscale_status
				from batch_items bi
				left join upscales u on u.batch_id = bi.batch_id and u.item_index = bi.item_index
				where bi.batch_id = :id and (bi.status = 'failed' or u.status = 'failed')
				order by bi.item_index
				""")
			.param("id", batchId)
			.query((rs, row) -> new FailedItem(rs.getInt("item_index"), rs.getString("source_generation_id"),
					rs.getString("model"), "failed".equals(rs.getString("upscale_status")), rs.getString("error")))
			.list();
	}

	/**
	 * Whether a worker stored the batch (rather than only this gateway accepting it).
	 */
	boolean stored(String batchId) {
		return this.jdbc.sql("select count(*) from batches where id = :id")
			.param("id", batchId)
			.query(Integer.class)
			.single() > 0;
	}

	/**
	 * Links a retry batch to the batch whose failed items it retries.
	 */
	void recordRetry(String batchId, String retryOf, String only, Instant now) {
		this.jdbc
			.sql("""
					insert into batch_retries (batch_id, retry_of, only_kind, created_at) values (:id, :retryOf, :only, :now)
					on conflict (batch_id) do nothing
					""")
			.param("id", batchId)
			.param("retryOf", retryOf)
			.param("only", only)
			.param("now", Timestamp.from(now))
			.update();
	}

	private List<String> retriedBy(String batchId) {
		return this.jdbc.sql("select batch_id from batch_retries where retry_of = :id order by created_at, batch_id")
			.param("id", batchId)
			.query(String.class)
			.list();
	}

	private @Nullable String retryOf(String batchId) {
		return this.jdbc.sql("select retry_of from batch_retries where batch_id = :id")
			.param("id", batchId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/**
	 * The sync results of a batch as known now, in request order; items the worker has
	 * not finished (or a batch it has not received yet) are not yet initiated.
	 */
	List<SyncItemResult> syncResults(String batchId, List<UpscaleRequest> requests) {
		Map<Integer, BatchView.Item> known = new HashMap<>();
		for (BatchView.Item item : items(batchId)) {
			known.put(item.index(), item);
		}
		List<SyncItemResult> results = new ArrayList<>(requests.size());
		for (int i = 0; i < requests.size(); i++) {
			String sourceId = requests.get(i).sourceGenerationId();
			BatchView.Item item = known.get(i + 1);
			if (item != null && "started".equals(item.status()) && item.upscaleId() != null && item.sceneId() != null) {
				results.add(SyncItemResult.succeeded(item.upscaleId(), item.sceneId(), item.operationName(),
						item.sourceGenerationId()));
			}
			else if (item != null && "failed".equals(item.status()) && item.error() != null) {
				results.add(SyncItemResult.failed(item.error(), item.sourceGenerationId()));
			}
			else {
				results.add(SyncItemResult.notYetInitiated(sourceId));
			}
		}
		return results;
	}

	/**
	 * Which of these batches are completed.
	 */
	Set<String> completed(Collection<String> batchIds) {
		if (batchIds.isEmpty()) {
			return Set.of();
		}
		return Set.copyOf(this.jdbc.sql("select id from batches where id = any(:ids) and status = 'completed'")
			.param("ids", batchIds.toArray(String[]::new))
			.query(String.class)
			.list());
	}

	/**
	 * The batch's items; a video link older than {@code video-links.max-age} is left out
	 * (Flow signs links for hours only), as renewing a batch's worth of links would take
	 * a call to Flow each: {@code GET /upscales/{id}/video} renews one.
	 */
	private List<BatchView.Item> items(String batchId) {
		return this.jdbc.sql(ITEMS)
			.param("id", batchId)
			.param("freshAfter", Timestamp.from(this.clock.instant().minus(this.videoLinks.maxAge())))
			.query(BatchQueries::item)
			.list();
	}

	private static BatchView batch(ResultSet rs, @Nullable List<BatchView.Item> items) throws SQLException {
		int total = rs.getInt("total");
		int succeeded = rs.getInt("success_count");
		int failed = rs.getInt("failure_count");
		boolean cancelled = rs.getTimestamp("cancelled_at") != null;
		return new BatchView(rs.getString("id"), rs.getString("status"), total, succeeded, failed,
				total - succeeded - failed, rs.getInt("delay_ms"), instant(rs.getTimestamp("requested_at")),
				nullableInstant(rs.getTimestamp("accepted_at")), instant(rs.getTimestamp("received_at")),
				nullableInstant(rs.getTimestamp("started_at")), nullableInstant(rs.getTimestamp("completed_at")), items,
				cancelled ? rs.getInt("cancelled_count") : null, nullableInstant(rs.getTimestamp("control_at")),
				rs.getString("retry_of"), List.of(), TraceContexts.traceId(rs.getString("traceparent")));
	}

	/**
	 * What to list.
	 *
	 * @param status only batches in this state, or all
	 * @param profileId only batches with an item of this profile's videos, or all
	 * @param projectId only batches with an item of this project's videos, or all
	 * @param since only batches listed at or after this moment, or all
	 * @param after the cursor: only batches after this one, or from the newest
	 * @param limit at most this many
	 */
	record BatchFilter(@Nullable String status, @Nullable String profileId, @Nullable String projectId,
			@Nullable Instant since, @Nullable BatchCursor after, int limit) {
	}

	/**
	 * A page of batches and the cursor of the next.
	 */
	@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
	@io.swagger.v3.oas.annotations.media.Schema(name = "BatchPage")
	record BatchPage(List<BatchView> items, @Nullable String nextCursor) {
	}

	/**
	 * A failed item of a batch.
	 *
	 * @param upscaleFailed whether it started and its upscale failed at Flow
	 * @param error why it failed to start, if it did
	 */
	record FailedItem(int index, String sourceGenerationId, String model, boolean upscaleFailed,
			@Nullable String error) {
	}

	private static BatchView.Item item(ResultSet rs, int row) throws SQLException {
		String status = rs.getString("status");
		Boolean success = switch (status) {
			case "started" -> Boolean.TRUE;
			case "failed" -> Boolean.FALSE;
			default -> null;
		};
		return new BatchView.Item(rs.getInt("item_index"), rs.getString("source_generation_id"), rs.getString("model"),
				status, success, rs.getString("error"), rs.getString("upscale_id"), rs.getString("scene_id"),
				rs.getString("operation_name"), rs.getString("upscale_status"), rs.getString("video_url"),
				rs.getString("upscale_error"));
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp.toInstant();
	}

	private static @Nullable Instant nullableInstant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
