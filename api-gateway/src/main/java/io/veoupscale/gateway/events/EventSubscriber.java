package io.veoupscale.gateway.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One SSE stream. Frames are written by one task at a time on a shared pool, so a slow
 * client holds no thread while idle and delays no other client; one that falls too far
 * behind is closed and, reconnecting with {@code Last-Event-ID}, replays from the event
 * log. A reconnecting stream first replays what it missed while live events wait, then
 * takes the live ones it has not replayed. Longer than most classes: that hand-over from
 * replay to live, with the queue a slow client may overrun, is one state machine and is
 * kept in one place.
 */
final class EventSubscriber {

	private static final Logger logger = LoggerFactory.getLogger(EventSubscriber.class);

	private static final MediaType JSON_TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

	private static final Set<DataWithMediaType> HEARTBEAT = SseEmitter.event().comment("heartbeat").build();

	/**
	 * Replayed sequences remembered to drop their live copies; older ones arrived long
	 * ago.
	 */
	private static final int REMEMBERED_REPLAYS = 1_000;

	private enum Phase {

		REPLAYING, LIVE, CLOSED

	}

	private final SseEmitter emitter;

	private final @Nullable String batchId;

	private final int maxQueued;

	private final Executor writers;

	private final Consumer<EventSubscriber> onClose;

	private final Deque<Set<DataWithMediaType>> queue = new ArrayDeque<>();

	private final Set<Long> replayed = new LinkedHashSet<>();

	private List<LiveEvent> heldBack = new ArrayList<>();

	private Phase phase;

	private boolean writing;

	EventSubscriber(SseEmitter emitter, @Nullable String batchId, boolean replaying, int maxQueued, Executor writers,
			Consumer<EventSubscriber> onClose) {
		this.emitter = emitter;
		this.batchId = batchId;
		this.maxQueued = maxQueued;
		this.writers = writers;
		this.onClose = onClose;
		this.phase = replaying ? Phase.REPLAYING : Phase.LIVE;
	}

	/**
	 * Starts the stream: the greeting, then the replay of the events after
	 * {@code lastEventId} (if any) page by page, then live events.
	 * @param greeting the first frame
	 * @param lastEventId the id the client last received, or {@code null} for live events
	 * only
	 * @param replaySource reads the event log
	 * @param pageSize rows per read
	 */
	void start(Set<DataWithMediaType> greeting, @Nullable Long lastEventId, EventLog replaySource, int pageSize) {
		synchronized (this) {
			this.writing = true;
		}
		schedule(() -> {
			if (!write(greeting)) {
				return;
			}
			try {
				if (lastEventId != null && !replay(lastEventId, replaySource, pageSize)) {
					return;
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Replaying the event log to an SSE stream failed; closing it so that it reconnects: {}",
						ex.toString());
				close();
				return;
			}
			goLive();
			drain();
		});
	}

	/**
	 * Offers a live event; it is dropped if it is for another batch or was replayed.
	 * @param event the event
	 * @param frame the event as an SSE frame
	 */
	void offer(LiveEvent event, Set<DataWithMediaType> frame) {
		if (this.batchId != null && !this.batchId.equals(event.batchId())) {
			return;
		}
		synchronized (this) {
			switch (this.phase) {
				case CLOSED -> {
					return;
				}
				case REPLAYING -> {
					this.heldBack.add(event);
					if (this.heldBack.size() > this.maxQueued) {
						closeSlow();
					}
					return;
				}
				case LIVE -> {
					if (event.seq() != null && this.replayed.contains(event.seq())) {
						return;
					}
					enqueue(frame);
				}
			}
		}
	}

	/**
	 * Sends a heartbeat comment if nothing else is waiting.
	 */
	synchronized void heartbeat() {
		if (this.phase == Phase.LIVE && this.queue.isEmpty()) {
			enqueue(HEARTBEAT);
		}
	}

	/**
	 * Ends the stream; the client may reconnect.
	 */
	void close() {
		synchronized (this) {
			this.phase = Phase.CLOSED;
			this.queue.clear();
			this.heldBack = List.of();
		}
		this.onClose.accept(this);
		try {
			this.emitter.complete();
		}
		catch (RuntimeException ex) {
			// already completed by the container
		}
	}

	/**
	 * Marks the stream closed after the container ended it (timeout, error, client gone).
	 */
	void closed() {
		synchronized (this) {
			this.phase = Phase.CLOSED;
			this.queue.clear();
			this.heldBack = List.of();
		}
		this.onClose.accept(this);
	}

	static Set<DataWithMediaType> frame(LiveEvent event) {
		SseEmitter.SseEventBuilder builder = SseEmitter.event();
		if (event.seq() != null) {
			builder.id(Long.toString(event.seq()));
		}
		return builder.name(event.type()).data(event.payload(), JSON_TEXT).build();
	}

	private boolean replay(long lastEventId, EventLog replaySource, int pageSize) {
		long after = lastEventId;
		List<LiveEvent> page;
		do {
			page = replaySource.after(after, this.batchId, pageSize);
			for (LiveEvent event : page) {
				if (!write(frame(event))) {
					return false;
				}
				after = event.seq();
				synchronized (this) {
					this.replayed.add(after);
					if (this.replayed.size() > REMEMBERED_REPLAYS) {
						this.replayed.remove(this.replayed.iterator().next());
					}
				}
			}
		}
		while (page.size() == pageSize && isOpen());
		return isOpen();
	}

	private synchronized void goLive() {
		if (this.phase != Phase.REPLAYING) {
			return;
		}
		this.phase = Phase.LIVE;
		for (LiveEvent event : this.heldBack) {
			if (event.seq() == null || !this.replayed.contains(event.seq())) {
				this.queue.add(frame(event));
			}
		}
		this.heldBack = List.of();
	}

	private void enqueue(Set<DataWithMediaType> frame) {
		this.queue.add(frame);
		if (this.queue.size() > this.maxQueued) {
			closeSlow();
			return;
		}
		if (!this.writing) {
			this.writing = true;
			schedule(this::drain);
		}
	}

	private void drain() {
		while (true) {
			Set<DataWithMediaType> next;
			synchronized (this) {
				next = this.queue.poll();
				if (next == null || this.phase == Phase.CLOSED) {
					this.writing = false;
					return;
				}
			}
			if (!write(next)) {
				return;
			}
		}
	}

	private boolean write(Set<DataWithMediaType> frame) {
		try {
			this.emitter.send(frame);
			return true;
		}
		catch (IOException | IllegalStateException ex) {
			// The client went away; the container completes the emitter.
			closed();
			return false;
		}
	}

	private void schedule(Runnable task) {
		try {
			this.writers.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// shutting down: the hub completes every stream
			synchronized (this) {
				this.phase = Phase.CLOSED;
			}
		}
	}

	/**
	 * Called with the lock held: stops queueing at once and completes the emitter on a
	 * writer thread, never on the consumer's.
	 */
	private void closeSlow() {
		logger.info("Closing an SSE stream that fell more than {} events behind; it replays when it reconnects",
				this.maxQueued);
		this.phase = Phase.CLOSED;
		this.queue.clear();
		this.heldBack = List.of();
		schedule(() -> {
			this.onClose.accept(this);
			try {
				this.emitter.complete();
			}
			catch (RuntimeException ex) {
				// already completed by the container
			}
		});
	}

	private synchronized boolean isOpen() {
		return this.phase != Phase.CLOSED;
	}

}
