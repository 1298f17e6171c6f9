package io.veoupscale.gateway.events;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * One SSE stream's ordering: the replay first, live events that arrived meanwhile after
 * it and without the replayed ones, the batch filter, and closing a client that falls
 * behind.
 */
class EventSubscriberTests {

	private static final Set<DataWithMediaType> GREETING = SseEmitter.event().comment("connected").build();

	private final RecordingEmitter emitter = new RecordingEmitter();

	private final ManualExecutor writers = new ManualExecutor();

	private final EventLog eventLog = mock(EventLog.class);

	private final AtomicBoolean closed = new AtomicBoolean();

	@Test
	void sendsTheGreetingThenLiveEvents() {
		EventSubscriber subscriber = subscriber(null, false, 10);
		subscriber.start(GREETING, null, this.eventLog, 100);
		subscriber.offer(event(7, "b1"), EventSubscriber.frame(event(7, "b1")));

		this.writers.runAll();

		assertThat(this.emitter.frames).containsExactly(":connected", "id:7|event:type-7|data:{\"seq\":7}");
	}

	@Test
	void replaysFirstThenLiveEventsThatArrivedMeanwhileWithoutDuplicates() {
		given(this.eventLog.after(2L, "b1", 100)).willReturn(List.of(event(3, "b1"), event(4, "b1")));
		EventSubscriber subscriber = subscriber("b1", true, 10);
		subscriber.start(GREETING, 2L, this.eventLog, 100);
		offer(subscriber, event(5, "b1"));
		offer(subscriber, event(3, "b1"));

		this.writers.runAll();
		offer(subscriber, event(4, "b1"));
		offer(subscriber, event(6, "b1"));
		this.writers.runAll();

		assertThat(this.emitter.frames).containsExactly(":connected", "id:3|event:type-3|data:{\"seq\":3}",
				"id:4|event:type-4|data:{\"seq\":4}", "id:5|event:type-5|data:{\"seq\":5}",
				"id:6|event:type-6|data:{\"seq\":6}");
	}

	@Test
	void readsTheReplayPageByPage() {
		given(this.eventLog.after(0L, null, 2)).willReturn(List.of(event(1, "a"), event(2, "b")));
		given(this.eventLog.after(2L, null, 2)).willReturn(List.of(event(3, "a")));
		EventSubscriber subscriber = subscriber(null, true, 10);

		subscriber.start(GREETING, 0L, this.eventLog, 2);
		this.writers.runAll();

		assertThat(this.emitter.frames).hasSize(4).last().isEqualTo("id:3|event:type-3|data:{\"seq\":3}");
	}

	@Test
	void dropsEventsOfOtherBatches() {
		EventSubscriber subscriber = subscriber("b1", false, 10);
		subscriber.start(GREETING, null, this.eventLog, 100);
		offer(subscriber, event(1, "b2"));
		offer(subscriber, event(2, "b1"));

		this.writers.runAll();

		assertThat(this.emitter.frames).containsExactly(":connected", "id:2|event:type-2|data:{\"seq\":2}");
	}

	@Test
	void closesAClientThatFallsTooFarBehind() {
		EventSubscriber subscriber = subscriber(null, false, 2);
		subscriber.start(GREETING, null, this.eventLog, 100);
		for (int seq = 1; seq <= 3; seq++) {
			offer(subscriber, event(seq, "b1"));
		}

		this.writers.runAll();
		offer(subscriber, event(4, "b1"));
		this.writers.runAll();

		assertThat(this.closed).isTrue();
		assertThat(this.emitter.completed).isTrue();
		assertThat(this.emitter.frames).doesNotContain("id:4|event:type-4|data:{\"seq\":4}");
	}

	@Test
	void stopsWritingToAClientThatWentAway() {
		EventSubscriber subscriber = subscriber(null, false, 10);
		subscriber.start(GREETING, null, this.eventLog, 100);
		this.writers.runAll();
		this.emitter.broken = true;

		offer(subscriber, event(1, "b1"));
		this.writers.runAll();

		assertThat(this.closed).isTrue();
	}

	@Test
	void sendsAHeartbeatOnlyWhenIdle() {
		EventSubscriber subscriber = subscriber(null, false, 10);
		subscriber.start(GREETING, null, this.eventLog, 100);
		this.writers.runAll();

		subscriber.heartbeat();
		subscriber.heartbeat();
		this.writers.runAll();

		assertThat(this.emitter.frames).containsExactly(":connected", ":heartbeat");
	}

	private EventSubscriber subscriber(@Nullable String batchId, boolean replaying, int maxQueued) {
		return new EventSubscriber(this.emitter, batchId, replaying, maxQueued, this.writers,
				(subscriber) -> this.closed.set(true));
	}

	private static void offer(EventSubscriber subscriber, LiveEvent event) {
		subscriber.offer(event, EventSubscriber.frame(event));
	}

	private static LiveEvent event(long seq, String batchId) {
		return new LiveEvent(seq, batchId, "type-" + seq, "{\"seq\":" + seq + "}");
	}

	static final class ManualExecutor implements Executor {

		private final Deque<Runnable> tasks = new ArrayDeque<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
		}

		void runAll() {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				task.run();
			}
		}

	}

	static final class RecordingEmitter extends SseEmitter {

		final List<String> frames = new ArrayList<>();

		boolean broken;

		boolean completed;

		@Override
		public void send(Set<DataWithMediaType> items) throws IOException {
			if (this.broken) {
				throw new IOException("Broken pipe");
			}
			StringBuilder text = new StringBuilder();
			for (DataWithMediaType item : items) {
				text.append(item.getData());
			}
			this.frames.add(text.toString().strip().replace("\n", "|"));
		}

		@Override
		public void complete() {
			this.completed = true;
		}

	}

}
