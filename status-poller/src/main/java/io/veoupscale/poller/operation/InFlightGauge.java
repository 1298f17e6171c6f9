package io.veoupscale.poller.operation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The operations being tracked, by upscale status, counted by a periodic query rather
 * than on every scrape: with many operations in flight the count is not free.
 */
@Component
class InFlightGauge {

	private static final List<String> STATUSES = List.of("pending", "processing");

	private final OperationRepository operations;

	private final Map<String, AtomicLong> counts;

	InFlightGauge(OperationRepository operations, MeterRegistry meters) {
		this.operations = operations;
		this.counts = Map.of("pending", new AtomicLong(), "processing", new AtomicLong());
		for (String status : STATUSES) {
			Gauge.builder("upscale.poller.operations.in.flight", this.counts.get(status), AtomicLong::get)
				.description("Operations tracked at Flow, by upscale status")
				.tag("status", status)
				.register(meters);
		}
	}

	/**
	 * Counts again; run every {@code in-flight-refresh} by {@link PollingConfiguration}.
	 */
	void refresh() {
		Map<String, Long> current = this.operations.countInFlight();
		for (String status : STATUSES) {
			this.counts.get(status).set(current.getOrDefault(status, 0L));
		}
	}

}
