package io.veoupscale.gateway.events;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads the event log that producers write with every batch event, for streams that
 * replay what they missed, and deletes what is older than the retention.
 */
@Repository
class EventLog {

	private static final Logger logger = LoggerFactory.getLogger(EventLog.class);

	private static final int DELETE_BATCH = 10_000;

	private final JdbcClient jdbc;

	private final EventStreamProperties properties;

	private final Clock clock;

	EventLog(JdbcClient jdbc, EventStreamProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Events after a sequence, oldest first.
	 * @param afterSeq the last sequence the client has
	 * @param batchId only this batch, or every batch
	 * @param limit at most this many
	 * @return the events
	 */
	List<LiveEvent> after(long afterSeq, @Nullable String batchId, int limit) {
		JdbcClient.StatementSpec query = (batchId != null) ? this.jdbc.sql("""
				select seq, batch_id, type, payload from event_log
				where batch_id = :batchId and seq > :after
				order by seq
				limit :limit
				""").param("batchId", batchId) : this.jdbc.sql("""
				select seq, batch_id, type, payload from event_log
				where seq > :after
				order by seq
				limit :limit
				""");
		return query.param("after", afterSeq)
			.param("limit", limit)
			.query((rs, row) -> new LiveEvent(rs.getLong("seq"), rs.getString("batch_id"), rs.getString("type"),
					rs.getString("payload")))
			.list();
	}

	/**
	 * Deletes events older than the retention.
	 */
	void deleteExpired() {
		Instant cutoff = this.clock.instant().minus(this.properties.retention());
		int deleted;
		int total = 0;
		do {
			deleted = this.jdbc.sql("""
					delete from event_log
					where seq in (select seq from event_log where occurred_at < :cutoff limit :limit)
					""").param("cutoff", Timestamp.from(cutoff)).param("limit", DELETE_BATCH).update();
			total += deleted;
		}
		while (deleted == DELETE_BATCH);
		if (total > 0) {
			logger.info("Deleted {} events older than {} from the event log", total, this.properties.retention());
		}
	}

}
