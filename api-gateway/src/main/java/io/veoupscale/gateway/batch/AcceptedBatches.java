package io.veoupscale.gateway.batch;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.gateway.events.EventStreamProperties;
import io.veoupscale.store.trace.TraceContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The batches this gateway handed to Kafka, kept so that a batch answers {@code queued}
 * between its 202 and a worker storing it; workers never read them.
 */
@Repository
class AcceptedBatches {

	private static final Logger logger = LoggerFactory.getLogger(AcceptedBatches.class);

	private final JdbcClient jdbc;

	private final EventStreamProperties events;

	private final Clock clock;

	private final TraceContexts traces;

	AcceptedBatches(JdbcClient jdbc, EventStreamProperties events, Clock clock, TraceContexts traces) {
		this.traces = traces;
		this.jdbc = jdbc;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Records a batch that Kafka acknowledged; a batch recorded before (a retry with the
	 * same Idempotency-Key) keeps its first record.
	 * @param command the batch as published
	 * @param acceptedAt when Kafka acknowledged it
	 */
	void record(BatchRequested command, Instant acceptedAt) {
		List<UpscaleRequest> requests = command.requests()
			.stream()
			.map((request) -> new UpscaleRequest(request.sourceGenerationId(), request.modelOrDefault()))
			.toList();
		Instant requestedAt = (command.requestedAt() != null) ? command.requestedAt() : acceptedAt;
		this.jdbc
			.sql("""
					insert into accepted_batches (batch_id, total, delay_ms, requests, requested_at, accepted_at, traceparent)
					values (:id, :total, :delayMs, cast(:requests as jsonb), :requestedAt, :acceptedAt, :traceparent)
					on conflict (batch_id) do nothing
					""")
			.param("id", command.batchId())
			.param("total", requests.size())
			.param("delayMs", command.delayMsOrDefault())
			.param("requests", UpscaleJson.write(requests))
			.param("requestedAt", Timestamp.from(requestedAt))
			.param("acceptedAt", Timestamp.from(acceptedAt))
			.param("traceparent", this.traces.current())
			.update();
	}

	/**
	 * A recorded batch as a worker has not received it yet: queued, nothing started.
	 * @param batchId the batch
	 * @return the batch, or empty if this gateway never accepted it
	 */
	Optional<BatchView> queued(String batchId) {
		return this.jdbc.sql("""
				select batch_id, total, delay_ms, requests::text as requests, requested_at, accepted_at, traceparent
				from accepted_batches where batch_id = :id
				""").param("id", batchId).query((rs, row) -> {
			UpscaleRequest[] requests = UpscaleJson.read(rs.getString("requests"), UpscaleRequest[].class);
			List<BatchView.Item> items = new ArrayList<>(requests.length);
			for (int i = 0; i < requests.length; i++) {
				items.add(BatchView.Item.queued(i + 1, requests[i].sourceGenerationId(), requests[i].modelOrDefault()));
			}
			return BatchView.queued(rs.getString("batch_id"), rs.getInt("total"), rs.getInt("delay_ms"),
					rs.getTimestamp("requested_at").toInstant(), rs.getTimestamp("accepted_at").toInstant(), items,
					TraceContexts.traceId(rs.getString("traceparent")));
		}).optional();
	}

	/**
	 * Deletes records past the event log's retention: by then a worker has long stored
	 * the batch, or it never will.
	 */
	void deleteExpired() {
		int deleted = this.jdbc.sql("delete from accepted_batches where accepted_at < :cutoff")
			.param("cutoff", Timestamp.from(this.clock.instant().minus(this.events.retention())))
			.update();
		if (deleted > 0) {
			logger.info("Deleted {} accepted batches older than {}", deleted, this.events.retention());
		}
	}

}
