package io.veoupscale.store.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How far the outbox relay is behind: rows waiting, and the age of the oldest. Every
 * service reports them (they share the outbox, so each reports the same figures).
 */
@Component
class OutboxGauges {

	private static final Duration MAX_AGE = Duration.ofSeconds(5);

	OutboxGauges(JdbcClient jdbc, MeterRegistry meters) {
		QueryGauges.register(meters, "upscale.outbox.pending", "Outbox rows not yet relayed to Kafka", MAX_AGE,
				() -> jdbc.sql("select count(*) from outbox_events").query(Long.class).single());
		QueryGauges.register(meters, "upscale.outbox.lag.seconds",
				"Age of the oldest outbox row not yet relayed to Kafka (0 when none waits)", MAX_AGE, () -> jdbc.sql("""
						select coalesce(extract(epoch from (now() - min(created_at))), 0)::float8 from outbox_events
						""").query(Double.class).single());
	}

}
