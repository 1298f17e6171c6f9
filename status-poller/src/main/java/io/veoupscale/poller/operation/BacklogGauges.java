package io.veoupscale.poller.operation;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.veoupscale.store.metrics.QueryGauges;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whether the pollers keep up: how many operations are due for a check now, and how long
 * the most overdue one has waited. Both stay near zero while the pollers keep up.
 */
@Component
class BacklogGauges {

	private static final Duration MAX_AGE = Duration.ofSeconds(5);

	BacklogGauges(JdbcClient jdbc, MeterRegistry meters) {
		QueryGauges.register(meters, "upscale.poller.due", "Operations whose check is due", MAX_AGE,
				() -> jdbc.sql("select count(*) from operation_checks where next_check_at <= now()")
					.query(Long.class)
					.single());
		QueryGauges.register(meters, "upscale.poller.due.lag.seconds",
				"How long the most overdue check has waited past its time", MAX_AGE, () -> jdbc.sql("""
						select coalesce(extract(epoch from (now() - min(next_check_at))), 0)::float8
						from operation_checks where next_check_at <= now()
						""").query(Double.class).single());
	}

}
