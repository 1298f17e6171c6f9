package io.veoupscale.store.outbox;

import java.sql.Timestamp;

import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.store.TopicProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes a batch event in the caller's transaction: into the event log (kept for
 * replay, numbered by {@code seq}) and through the outbox to the events topic, keyed by
 * batchId, with the sequence in the {@value #SEQUENCE_HEADER} header.
 */
@Component
public class BatchEventPublisher {

	/** The Kafka header carrying an event's event-log sequence (decimal text). */
	public static final String SEQUENCE_HEADER = "upscale-event-seq";

	private static final long SEQUENCE_LOCK = 7_311_002L;

	private final JdbcClient jdbc;

	private final Outbox outbox;

	private final TopicProperties topics;

	BatchEventPublisher(JdbcClient jdbc, Outbox outbox, TopicProperties topics) {
		this.jdbc = jdbc;
		this.outbox = outbox;
		this.topics = topics;
	}

	/**
	 * Publishes the event once the caller's transaction commits.
	 * @param event the event
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void publish(BatchEvent event) {
		String payload = UpscaleJson.write(event);
		// Sequences are drawn in commit order: a client replaying "after n" then never
		// misses an
		// event that committed later with a lower number. The lock is held until the
		// commit.
		this.jdbc.sql("select 1 from (select pg_advisory_xact_lock(:lock)) locked")
			.param("lock", SEQUENCE_LOCK)
			.query(Integer.class)
			.single();
		long seq = this.jdbc.sql("""
				insert into event_log (event_id, batch_id, type, payload, occurred_at)
				values (:eventId, :batchId, :type, :payload, :occurredAt)
				returning seq
				""")
			.param("eventId", event.eventId())
			.param("batchId", event.batchId())
			.param("type", event.type())
			.param("payload", payload)
			.param("occurredAt", Timestamp.from(event.occurredAt()))
			.query(Long.class)
			.single();
		this.outbox.append(this.topics.batchEvents(), event.batchId(), payload, seq);
	}

}
