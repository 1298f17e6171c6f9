package io.veoupscale.store.outbox;

import java.sql.Timestamp;

import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.store.trace.TraceContexts;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends a message to the outbox in the caller's transaction; it reaches Kafka after the
 * transaction commits, and never if it rolls back. The row keeps the current trace
 * context, which the relay's send continues.
 */
@Component
public class Outbox {

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final TraceContexts traces;

	Outbox(JdbcClient jdbc, ApplicationEventPublisher events, TraceContexts traces) {
		this.jdbc = jdbc;
		this.events = events;
		this.traces = traces;
	}

	/**
	 * Adds a message for the given topic and key.
	 * @param topic the topic
	 * @param key the record key (the aggregate id)
	 * @param message the message, written as JSON
	 */
	public void append(String topic, String key, Object message) {
		append(topic, key, UpscaleJson.write(message));
	}

	/**
	 * Adds a batch event for the given topic, keyed by its batch, to be numbered in the
	 * event log when relayed. The event carries the current trace id as {@code traceId},
	 * written in the same pass as the rest of its JSON.
	 */
	void appendEvent(String topic, BatchEvent event) {
		requireTransaction();
		String traceparent = this.traces.current();
		this.jdbc.sql("""
				insert into outbox_events (topic, record_key, payload, event_id, event_type, occurred_at, traceparent)
				values (:topic, :key, :payload, :eventId, :type, :occurredAt, :traceparent)
				""")
			.param("topic", topic)
			.param("key", event.batchId())
			.param("payload", UpscaleJson.writeEvent(event, TraceContexts.traceId(traceparent)))
			.param("traceparent", traceparent)
			.param("eventId", event.eventId())
			.param("type", event.type())
			.param("occurredAt", Timestamp.from(event.occurredAt()))
			.update();
		this.events.publishEvent(OutboxAppended.INSTANCE);
	}

	private void append(String topic, String key, String payload) {
		requireTransaction();
		this.jdbc.sql("""
				insert into outbox_events (topic, record_key, payload, traceparent)
				values (:topic, :key, :payload, :traceparent)
				""")
			.param("topic", topic)
			.param("key", key)
			.param("payload", payload)
			.param("traceparent", this.traces.current())
			.update();
		this.events.publishEvent(OutboxAppended.INSTANCE);
	}

	/**
	 * Fails unless the caller runs in a transaction: a message appended outside one would
	 * reach Kafka whatever became of the state it describes. Checked here rather than by
	 * a transactional proxy, which every event of the hot path would go through.
	 */
	private static void requireTransaction() {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("The outbox is written in the caller's transaction, and there is none");
		}
	}

	/**
	 * Signals, after commit, that the outbox has new rows.
	 */
	enum OutboxAppended {

		INSTANCE

	}

}
