package io.veoupscale.gateway.events;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchPaused;
import io.veoupscale.events.BatchResumed;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleFinished;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Measures how long an event took from the moment it happened (its {@code occurredAt}, on
 * the producing service's clock) to this gateway, where it goes out to SSE streams and
 * sync requests: the end-to-end lag of the outbox, its relay and Kafka, by event type.
 */
@Component
class EventLagMeter {

	private static final Set<String> TYPES = Set.of(BatchStarted.TYPE, ItemProgressed.TYPE, BatchCompleted.TYPE,
			UpscaleFinished.TYPE, BatchPaused.TYPE, BatchResumed.TYPE);

	private static final String OTHER = "other";

	/** One timer per event type (and one for any other), registered once. */
	private final Map<String, Timer> timers = new HashMap<>();

	private final Clock clock;

	EventLagMeter(MeterRegistry meters, Clock clock) {
		this.clock = clock;
		for (String type : TYPES) {
			this.timers.put(type, timer(meters, type));
		}
		this.timers.put(OTHER, timer(meters, OTHER));
	}

	private static Timer timer(MeterRegistry meters, String type) {
		return Timer.builder("upscale.events.lag")
			.description("Time from an event's occurredAt to its arrival at the gateway")
			.tag("type", type)
			.register(meters);
	}

	@EventListener
	void onEvent(LiveEvent event) {
		if (event.occurredAt() == null) {
			return;
		}
		Duration lag = Duration.between(event.occurredAt(), this.clock.instant());
		this.timers.getOrDefault(event.type(), this.timers.get(OTHER)).record(lag.isNegative() ? Duration.ZERO : lag);
	}

}
