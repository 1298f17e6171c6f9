package io.veoupscale.gateway.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.veoupscale.events.UpscaleRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads batch state as the workers and the poller write it: the batch, its items and
 * their upscales; until a worker has stored a batch, what this gateway accepted.
 */
@Repository
class BatchQueries {

	private static final String ITEMS = """
			select bi.item_index, bi.source_generation_id, bi.model, bi.status, bi.error,
			       u.id as upscale_id, u.scene_id::text as scene_id, u.operation_name, u.status as upscale_status,
			       u.video_url, u.error as upscale_error
			from batch_items bi
			left join upscales u on u.batch_id = bi.batch_id and u.item_index = bi.item_index
			where bi.batch_id = :id
			order by bi.item_index
			""";

	private final JdbcClient jdbc;

	private final AcceptedBatches accepted;

	BatchQueries(JdbcClient jdbc, AcceptedBatches accepted) {
		this.jdbc = jdbc;
		this.accepted = accepted;
	}

	/**
	 * A batch as a worker stored it or, before that, as this gateway accepted it
	 * ({@code queued}).
	 * @param batchId the batch
	 * @return the batch, or empty if neither a worker nor this gateway knows it
	 */
	@Transactional(readOnly = true)
	Optional<BatchView> find(String batchId) {
		Optional<BatchView> batch = this.jdbc.sql("""
				select b.id, b.status, b.total, b.success_count, b.failure_count, b.delay_ms, b.requested_at,
				       a.accepted_at, b.received_at, b.started_at, b.completed_at
				from batches b
				left join accepted_batches a on a.batch_id = b.id
				where b.id = :id
				""").param("id", batchId).query((rs, row) -> batch(rs, List.of())).optional();
		if (batch.isPresent()) {
			return batch.map((found) -> found.withItems(items(batchId)));
		}
		return this.accepted.queued(batchId);
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

	private List<BatchView.Item> items(String batchId) {
		return this.jdbc.sql(ITEMS).param("id", batchId).query(BatchQueries::item).list();
	}

	private static BatchView batch(ResultSet rs, List<BatchView.Item> items) throws SQLException {
		int total = rs.getInt("total");
		int succeeded = rs.getInt("success_count");
		int failed = rs.getInt("failure_count");
		return new BatchView(rs.getString("id"), rs.getString("status"), total, succeeded, failed,
				total - succeeded - failed, rs.getInt("delay_ms"), instant(rs.getTimestamp("requested_at")),
				nullableInstant(rs.getTimestamp("accepted_at")), instant(rs.getTimestamp("received_at")),
				nullableInstant(rs.getTimestamp("started_at")), nullableInstant(rs.getTimestamp("completed_at")),
				items);
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
