package io.veoupscale.store.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves outbox rows to Kafka in id order. One relay in the whole system holds the
 * advisory lock at a time, so the events of a batch keep their order; rows are deleted
 * once Kafka acknowledged them. Runs right after a commit that appended rows, and on a
 * schedule for rows left by a process that died.
 */
@Component
class OutboxRelay implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(OutboxRelay.class);

	private static final long LOCK_ID = 7_311_001L;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final KafkaTemplate<String, String> kafka;

	private final OutboxProperties properties;

	private final ThreadPoolTaskExecutor executor;

	private final Counter relayed;

	private final OutboxTail tail;

	private volatile boolean reconciledOnce;

	OutboxRelay(JdbcClient jdbc, TransactionTemplate transactions, KafkaTemplate<String, String> kafka,
			OutboxProperties properties, OutboxTail tail, MeterRegistry meters) {
		this.tail = tail;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.kafka = kafka;
		this.properties = properties;
		this.executor = singleSlotExecutor();
		this.relayed = Counter.builder("upscale.outbox.relayed")
			.description("Outbox messages published to Kafka")
			.register(meters);
	}

	@TransactionalEventListener
	void onAppended(Outbox.OutboxAppended appended) {
		requestDrain();
	}

	@Scheduled(fixedDelayString = "${upscale.outbox.poll-interval:1s}")
	void poll() {
		requestDrain();
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
		try {
			while (relayOnce() == this.properties.batchSize()) {
				// more rows are waiting
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Outbox relay failed; retrying on the next poll: {}", ex.getMessage());
		}
	}

	private int relayOnce() {
		Integer count = this.transactions.execute((status) -> {
			Boolean locked = this.jdbc.sql("select pg_try_advisory_xact_lock(:lock)")
				.param("lock", LOCK_ID)
				.query(Boolean.class)
				.single();
			if (!Boolean.TRUE.equals(locked)) {
				return 0;
			}
			List<OutboxRow> rows = this.jdbc.sql("""
					select id, topic, record_key, payload, event_seq, created_at
					from outbox_events order by id limit :limit
					""")
				.param("limit", this.properties.batchSize())
				.query((rs, row) -> new OutboxRow(rs.getLong("id"), rs.getString("topic"), rs.getString("record_key"),
						rs.getString("payload"), (Long) rs.getObject("event_seq"),
						rs.getTimestamp("created_at").toInstant()))
				.list();
			if (rows.isEmpty()) {
				return 0;
			}
			publish(mayBeLeftBehind(rows) ? withoutPublished(rows) : rows);
			this.jdbc.sql("delete from outbox_events where id = any(:ids)")
				.param("ids", rows.stream().map(OutboxRow::id).toArray(Long[]::new))
				.update();
			return rows.size();
		});
		int relayedRows = (count != null) ? count : 0;
		this.relayed.increment(relayedRows);
		return relayedRows;
	}

	/**
	 * Rows may have reached Kafka already when this relay has not checked since it
	 * started, or when they are older than a relay takes: a relay may have died between
	 * publishing and deleting them.
	 */
	private boolean mayBeLeftBehind(List<OutboxRow> rows) {
		Instant oldest = rows.get(0).createdAt();
		return !this.reconciledOnce || oldest.isBefore(Instant.now().minus(this.properties.leftBehindAfter()));
	}

	private List<OutboxRow> withoutPublished(List<OutboxRow> rows) {
		Set<Long> published = this.tail.alreadyPublished(rows);
		this.reconciledOnce = true;
		if (!published.isEmpty()) {
			logger.info(
					"Outbox: {} message(s) left behind by a relay that stopped were already in Kafka; not sent again",
					published.size());
		}
		return rows.stream().filter((row) -> !published.contains(row.id())).toList();
	}

	private void publish(List<OutboxRow> rows) {
		CompletableFuture<?>[] sends = rows.stream()
			.map((row) -> this.kafka.send(row.toRecord()))
			.toArray(CompletableFuture[]::new);
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

	record OutboxRow(long id, String topic, String recordKey, String payload, @Nullable Long eventSeq,
			Instant createdAt) {

		ProducerRecord<String, String> toRecord() {
			ProducerRecord<String, String> record = new ProducerRecord<>(this.topic, this.recordKey, this.payload);
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
