package io.veoupscale.gateway.events;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The SSE streams of this instance: fans every live event out to them, keeps idle ones
 * alive with heartbeats, and ends them all before the server's graceful shutdown waits
 * for open requests.
 */
@Component
class EventHub implements SmartLifecycle {

	private final Set<EventSubscriber> subscribers = ConcurrentHashMap.newKeySet();

	private final EventLog eventLog;

	private final EventStreamProperties properties;

	private final ThreadPoolTaskExecutor writers;

	private volatile boolean running;

	EventHub(EventLog eventLog, EventStreamProperties properties, MeterRegistry meters) {
		this.eventLog = eventLog;
		this.properties = properties;
		this.writers = new ThreadPoolTaskExecutor();
		this.writers.setCorePoolSize(properties.writerThreads());
		this.writers.setMaxPoolSize(properties.writerThreads());
		this.writers.setThreadNamePrefix("sse-writer-");
		this.writers.setDaemon(true);
		this.writers.initialize();
		Gauge.builder("upscale.gateway.sse.streams", this.subscribers, Set::size)
			.description("Open SSE streams of this instance")
			.register(meters);
	}

	/**
	 * Opens a stream.
	 * @param batchId only this batch's events, or every event
	 * @param lastEventId replay the events after this id first, or none
	 * @return the emitter the controller returns
	 */
	SseEmitter subscribe(@Nullable String batchId, @Nullable Long lastEventId) {
		SseEmitter emitter = new SseEmitter(this.properties.streamTimeout().toMillis());
		EventSubscriber subscriber = new EventSubscriber(emitter, batchId, lastEventId != null,
				this.properties.maxQueuedPerClient(), this.writers, this.subscribers::remove);
		emitter.onCompletion(subscriber::closed);
		emitter.onTimeout(subscriber::close);
		emitter.onError((ex) -> subscriber.closed());
		this.subscribers.add(subscriber);
		Set<DataWithMediaType> greeting = SseEmitter.event()
			.reconnectTime(this.properties.reconnectDelay().toMillis())
			.comment("connected")
			.build();
		subscriber.start(greeting, lastEventId, this.eventLog, this.properties.replayPageSize());
		return emitter;
	}

	/**
	 * The number of open streams.
	 * @return the count
	 */
	int streams() {
		return this.subscribers.size();
	}

	/**
	 * Handles an event of the events topic, on the consumer's thread.
	 * @param event the event
	 */
	@EventListener
	public void onEvent(LiveEvent event) {
		if (this.subscribers.isEmpty()) {
			return;
		}
		Set<DataWithMediaType> frame = EventSubscriber.frame(event);
		for (EventSubscriber subscriber : this.subscribers) {
			subscriber.offer(event, frame);
		}
	}

	/**
	 * Sends a heartbeat comment to every stream of this instance.
	 */
	void heartbeat() {
		for (EventSubscriber subscriber : this.subscribers) {
			subscriber.heartbeat();
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		for (EventSubscriber subscriber : List.copyOf(this.subscribers)) {
			subscriber.close();
		}
		this.writers.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
