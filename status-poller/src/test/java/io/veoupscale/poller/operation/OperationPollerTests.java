package io.veoupscale.poller.operation;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The poll loop's lifecycle and its extra loops, around a stand-in for the poll itself.
 */
class OperationPollerTests {

	private final PollCycle cycle = mock(PollCycle.class);

	private final ThreadPoolTaskExecutor loops = new ThreadPoolTaskExecutor();

	private final AtomicInteger polls = new AtomicInteger();

	private OperationPoller poller;

	@AfterEach
	void stop() {
		if (this.poller != null) {
			this.poller.stop();
		}
		this.loops.shutdown();
	}

	@Test
	void pollsAgainWhenStartedAfterAStop() {
		given(this.cycle.pollOnce(any())).willAnswer((invocation) -> claimed(0));
		this.poller = poller(Map.of("upscale.poller.poll-interval", "10ms"));

		this.poller.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.polls.get() > 0);
		this.poller.stop();
		assertThat(this.poller.isRunning()).isFalse();
		int polledBeforeStart = this.polls.get();
		this.poller.start();

		assertThat(this.poller.isRunning()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.polls.get() > polledBeforeStart);
	}

	@Test
	void stopsWithoutWaitingForTheNextPoll() {
		given(this.cycle.pollOnce(any())).willAnswer((invocation) -> claimed(0));
		this.poller = poller(Map.of("upscale.poller.poll-interval", "1h"));
		this.poller.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.polls.get() == 1);

		long started = System.nanoTime();
		this.poller.stop();

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(1)).until(() -> this.loops.getActiveCount() == 0);
	}

	@Test
	void keepsPollingAfterAPollFailed() {
		given(this.cycle.pollOnce(any())).willAnswer((invocation) -> {
			if (this.polls.incrementAndGet() == 1) {
				throw new IllegalStateException("database down");
			}
			return 0;
		});
		this.poller = poller(Map.of("upscale.poller.poll-interval", "10ms"));

		this.poller.start();

		await().atMost(Duration.ofSeconds(5)).until(() -> this.polls.get() > 2);
	}

	@Test
	void startsTheExtraLoopsOnlyOnceAClaimComesBackFull() {
		Set<String> threads = ConcurrentHashMap.newKeySet();
		AtomicInteger fullClaims = new AtomicInteger(40);
		given(this.cycle.pollOnce(any())).willAnswer((invocation) -> {
			threads.add(Thread.currentThread().getName());
			this.polls.incrementAndGet();
			Thread.sleep(5);
			return (fullClaims.getAndDecrement() > 0) ? 10 : 0;
		});
		this.poller = poller(Map.of("upscale.poller.poll-interval", "1h", "upscale.poller.claim-batch-size", "10",
				"upscale.poller.poll-loops", "3"));

		this.poller.start();

		await().atMost(Duration.ofSeconds(5)).until(() -> fullClaims.get() < 0 && this.loops.getActiveCount() <= 1);
		assertThat(threads).hasSize(3);
	}

	@Test
	void runsOneLoopWhileClaimsAreNotFull() {
		Set<String> threads = ConcurrentHashMap.newKeySet();
		given(this.cycle.pollOnce(any())).willAnswer((invocation) -> {
			threads.add(Thread.currentThread().getName());
			return claimed(9);
		});
		this.poller = poller(Map.of("upscale.poller.poll-interval", "10ms", "upscale.poller.claim-batch-size", "10",
				"upscale.poller.poll-loops", "3"));

		this.poller.start();

		await().atMost(Duration.ofSeconds(5)).until(() -> this.polls.get() > 5);
		assertThat(threads).hasSize(1);
	}

	private int claimed(int count) {
		this.polls.incrementAndGet();
		return count;
	}

	private OperationPoller poller(Map<String, String> properties) {
		this.loops.setCorePoolSize(3);
		this.loops.setMaxPoolSize(3);
		this.loops.setThreadNamePrefix("test-loop-");
		this.loops.initialize();
		return new OperationPoller(this.cycle, PollerSettings.bind(properties), this.loops);
	}

}
