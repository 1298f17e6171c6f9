package io.veoupscale.store.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.veoupscale.store.trace.TraceContexts;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves outbox rows to Kafka in id order. One relay in the whole system works at a time
 * (a session-level advisory lock held on a connection of its own), so the events of a
 * batch keep their order, and the relay numbers batch events in the event log as it takes
 * them, so their numbers follow the order in which they reach Kafka. Each round marks its
 * rows as attempted and commits that before sending, then deletes them once Kafka
 * acknowledged them; a row found marked was sent by a relay that died or failed before
 * the delete, and is checked against the tail of its topic so that it is never published
 * twice. Runs right after a commit that appended rows, and on a schedule for rows left by
 * a process that died. Longer than most classes: the lock, the round's three statements
 * and the send with its trace context belong to one ordering argument.
 */
@Component
class OutboxRelay implements SchedulingConfigurer, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(OutboxRelay.class);

	private static final long LOCK_ID = 7_311_001L;

	private final DataSource dataSource;

	private final KafkaTemplate<String, String> kafka;

	private final OutboxProperties properties;

	private final ThreadPoolTaskExecutor executor;

	private final Counter relayed;

	private final Counter skipped;

	private final OutboxTail tail;

	private final TraceContexts traces;

	OutboxRelay(DataSource dataSource, KafkaTemplate<String, String> kafka, OutboxProperties properties,
			OutboxTail tail, TraceContexts traces, MeterRegistry meters) {
		this.traces = traces;
		this.dataSource = dataSource;
		this.kafka = kafka;
		this.properties = properties;
		this.tail = tail;
		this.executor = singleSlotExecutor();
		this.relayed = Counter.builder("upscale.outbox.relayed")
			.description("Outbox messages published to Kafka")
			.register(meters);
		this.skipped = Counter.builder("upscale.outbox.already.published")
			.description("Outbox messages found in Kafka already (their relay stopped before deleting them)")
			.register(meters);
	}

	@TransactionalEventListener
	void onAppended(Outbox.OutboxAppended appended) {
		requestDrain();
	}

	/**
	 * Looks for rows left behind every {@code upscale.outbox.poll-interval}.
	 */
	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(this::requestDrain, this.properties.pollInterval());
	}

	private void requestDrain() {
		try {
			this.executor.execute(this::drain);
		}
		catch (TaskRejectedException ex) {
			// A drain is queued already and will see these rows.
		}
	}

	private void drain() {
		try (Connection connection = this.dataSource.getConnection()) {
			SingleConnectionDataSource session = new SingleConnectionDataSource(connection, true);
			JdbcClient jdbc = JdbcClient.create(session);
			if (!Boolean.TRUE.equals(jdbc.sql("select pg_try_advisory_lock(:lock)")
				.param("lock", LOCK_ID)
				.query(Boolean.class)
				.single())) {
				return;
			}
			try {
				TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(session));
				while (relayOnce(jdbc, transactions) == this.properties.batchSize()) {
					// more rows are waiting
				}
			}
			finally {
				unlock(jdbc, connection);
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Outbox relay failed; retrying on the next poll: {}", ex.getMessage());
		}
	}

	/**
	 * Releases the lock; a connection that cannot release it is closed for good, which
	 * releases it too, rather than going back to the pool still holding it.
	 */
	private static void unlock(JdbcClient jdbc, Connection connection) throws SQLException {
		try {
			jdbc.sql("select pg_advisory_unlock(:lock)").param("lock", LOCK_ID).query(Boolean.class).single();
		}
		catch (RuntimeException ex) {
			connection.abort(Runnable::run);
			throw ex;
		}
	}

	private int relayOnce(JdbcClient jdbc, TransactionTemplate transactions) {
		List<OutboxRow> rows = transactions.execute((status) -> takeRound(jdbc));
		if (rows == null || rows.isEmpty()) {
			return 0;
		}
		List<OutboxRow> unpublished = rows.stream().anyMatch(OutboxRow::attemptedBefore) ? withoutPublished(rows)
				: rows;
		publish(unpublished);
		jdbc.sql("delete from outbox_events where id = any(:ids)").param("ids", ids(rows)).update();
		this.relayed.increment(unpublished.size());
		return rows.size();
	}

	/**
	 * Takes the next rows in one statement: numbers the batch events among them in the
	 * event log, in outbox order (unless an earlier round did), derives a webhook
	 * delivery for each active subscription an event matches (from the rows this
	 * statement logged, so each event's deliveries are written once, in the transaction
	 * that logs it), and marks every row attempted.
	 * @return the rows in id order, with their event-log sequence
	 */
	private List<OutboxRow> takeRound(JdbcClient jdbc) {
		return jdbc.sql("""
				with picked as (
				    select id from outbox_events order by id limit :limit),
				logged as (
				    insert into event_log (event_id, batch_id, type, payload, occurred_at)
				    select o.event_id, o.record_key, o.event_type, o.payload, o.occurred_at
				    from outbox_events o join picked using (id)
				    where o.event_type is not null and o.event_seq is null
				    order by o.id
				    returning seq, event_id, batch_id, type, payload, occurred_at),
				webhooks as (
				    insert into webhook_deliveries
				        (subscription_id, event_seq, event_id, event_type, batch_id, payload, occurred_at)
				    select s.id, l.seq, l.event_id, l.type, l.batch_id, l.payload, l.occurred_at
				    from logged l join webhook_subscriptions s on s.status = 'active'
				        and l.type = any(s.events) and (s.batch_id is null or s.batch_id = l.batch_id)
				    order by l.seq)
				update outbox_events o
				set attempts = o.attempts + 1,
				    event_seq = coalesce((select l.seq from logged l where l.event_id = o.event_id), o.event_seq)
				where o.id in (select id from picked)
				returning o.id, o.topic, o.record_key, o.payload, o.event_seq, o.attempts, o.traceparent
				""")
			.param("limit", this.properties.batchSize())
			.query((rs, row) -> new OutboxRow(rs.getLong("id"), rs.getString("topic"), rs.getString("record_key"),
					rs.getString("payload"), (Long) rs.getObject("event_seq"), rs.getInt("attempts"),
					rs.getString("traceparent")))
			.list()
			.stream()
			.sorted(Comparator.comparingLong(OutboxRow::id))
			.toList();
	}

	private List<OutboxRow> withoutPublished(List<OutboxRow> rows) {
		Set<Long> published = this.tail.alreadyPublished(rows);
		if (!published.isEmpty()) {
			this.skipped.increment(published.size());
			logger.info("Outbox: {} message(s) sent by a relay that stopped were already in Kafka; not sent again",
					published.size());
		}
		return rows.stream().filter((row) -> !published.contains(row.id())).toList();
	}

	private static Long[] ids(List<OutboxRow> rows) {
		return rows.stream().map(OutboxRow::id).toArray(Long[]::new);
	}

	/**
	 * Sends the rows, each with the trace context its row kept, so that its send (a span
	 * when sampled) is a child of the work that appended it.
	 */
	private void publish(List<OutboxRow> rows) {
		CompletableFuture<?>[] sends = new CompletableFuture<?>[rows.size()];
		for (int i = 0; i < sends.length; i++) {
			OutboxRow row = rows.get(i);
			ProducerRecord<String, String> record = row.toRecord(this.kafka.partitionsFor(row.topic()).size());
			Span span = this.traces.send(record, row.traceparent());
			sends[i] = this.kafka.send(record);
			if (span != null) {
				sends[i].whenComplete((result, failure) -> span.end());
			}
		}
		try {
			CompletableFuture.allOf(sends).get(this.properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while publishing the outbox", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Kafka did not acknowledge the outbox batch", ex);
		}
	}

	@Override
	public void destroy() {
		this.executor.shutdown();
	}

	private static ThreadPoolTaskExecutor singleSlotExecutor() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(1);
		executor.setMaxPoolSize(1);
		executor.setQueueCapacity(1);
		executor.setThreadNamePrefix("outbox-relay-");
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.initialize();
		return executor;
	}

	/**
	 * An outbox row as a round took it.
	 *
	 * @param attempts how many rounds took it, this one included
	 * @param traceparent the trace context of the transaction that appended it
	 */
	record OutboxRow(long id, String topic, String recordKey, String payload, @Nullable Long eventSeq, int attempts,
			@Nullable String traceparent) {

		/**
		 * Whether an earlier round took the row, so that it may be in Kafka already.
		 */
		boolean attemptedBefore() {
			return this.attempts > 1;
		}

		/**
		 * The record, sent to the partition {@link OutboxPartitions} gives its key.
		 * @param partitions the topic's partition count
		 */
		ProducerRecord<String, String> toRecord(int partitions) {
			ProducerRecord<String, String> record = new ProducerRecord<>(this.topic,
					OutboxPartitions.of(this.recordKey, partitions), this.recordKey, this.payload);
			record.headers()
				.add(OutboxTail.OUTBOX_ID_HEADER, Long.toString(this.id).getBytes(StandardCharsets.US_ASCII));
			if (this.eventSeq != null) {
				record.headers()
					.add(BatchEventPublisher.SEQUENCE_HEADER,
							Long.toString(this.eventSeq).getBytes(StandardCharsets.US_ASCII));
			}
			return record;
		}

	}

}
