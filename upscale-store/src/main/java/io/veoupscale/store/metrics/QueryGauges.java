package io.veoupscale.store.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges of one meter name, one per value of a tag, whose values come from one query of
 * the shared database. The query runs when a gauge is read (a scrape) and its answer is
 * kept for a while, so scrapes cost one query per interval whatever their number, and
 * nothing runs between scrapes. A failed query leaves the gauges at their last values.
 */
public final class QueryGauges {

	private static final Logger logger = LoggerFactory.getLogger(QueryGauges.class);

	private final Supplier<Map<String, ? extends Number>> query;

	private final Duration maxAge;

	private final Clock clock;

	private Map<String, ? extends Number> values = Map.of();

	private @Nullable Instant readAt;

	private QueryGauges(Supplier<Map<String, ? extends Number>> query, Duration maxAge, Clock clock) {
		this.query = query;
		this.maxAge = maxAge;
		this.clock = clock;
	}

	/**
	 * Registers the gauges.
	 * @param meters the registry
	 * @param name the meter name
	 * @param description what it measures
	 * @param tag the tag whose values the query answers for
	 * @param tagValues every value of the tag (a gauge each; a value the query leaves out
	 * reads 0)
	 * @param maxAge how long an answer is kept
	 * @param query the query: a number per tag value
	 */
	public static void register(MeterRegistry meters, String name, String description, String tag,
			List<String> tagValues, Duration maxAge, Supplier<Map<String, ? extends Number>> query) {
		QueryGauges gauges = new QueryGauges(query, maxAge, Clock.systemUTC());
		for (String value : tagValues) {
			Gauge.builder(name, gauges, (self) -> self.value(value))
				.description(description)
				.tag(tag, value)
				.strongReference(true)
				.register(meters);
		}
	}

	/**
	 * Registers one gauge without tags.
	 * @param meters the registry
	 * @param name the meter name
	 * @param description what it measures
	 * @param maxAge how long an answer is kept
	 * @param query the query
	 */
	public static void register(MeterRegistry meters, String name, String description, Duration maxAge,
			Supplier<? extends Number> query) {
		QueryGauges gauges = new QueryGauges(() -> Map.of("", query.get()), maxAge, Clock.systemUTC());
		Gauge.builder(name, gauges, (self) -> self.value(""))
			.description(description)
			.strongReference(true)
			.register(meters);
	}

	private synchronized double value(String key) {
		Instant now = this.clock.instant();
		if (this.readAt == null || !now.isBefore(this.readAt.plus(this.maxAge))) {
			this.readAt = now;
			try {
				this.values = this.query.get();
			}
			catch (RuntimeException ex) {
				logger.debug("Gauge query failed; keeping the last values: {}", ex.getMessage());
			}
		}
		Number value = this.values.get(key);
		return (value != null) ? value.doubleValue() : 0;
	}

}
