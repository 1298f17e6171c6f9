package io.veoupscale.worker.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.veoupscale.worker.WorkerInstance;
import io.veoupscale.worker.WorkerProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class BatchRunnerTests {

	@Test
	void neverWorksABatchTwiceWhenItsOwnExpiredLeaseIsClaimedAgain() throws Exception {
		BatchRepository batches = mock(BatchRepository.class);
		BatchProcessor processor = mock(BatchProcessor.class);
		BatchRepository.LeasedBatch batch = new BatchRepository.LeasedBatch("b1", 3, 0, null, 0, 0);
		// The lease ran out while the batch was worked here, so the next claim returns it
		// again.
		given(batches.claim(eq("w1"), any(), any())).willReturn(Optional.of(batch), Optional.empty(),
				Optional.of(batch), Optional.empty());
		CountDownLatch working = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		willAnswer((invocation) -> {
			working.countDown();
			release.await(10, TimeUnit.SECONDS);
			return null;
		}).given(processor).process(batch);
		BatchRunner runner = new BatchRunner(batches, processor, properties(), new WorkerInstance("w1"),
				Clock.systemUTC(), new SimpleMeterRegistry());
		try {
			runner.claimFreeBatches();
			assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();

			runner.claimFreeBatches();
			release.countDown();
		}
		finally {
			release.countDown();
			runner.destroy();
		}

		verify(processor, times(1)).process(batch);
	}

	private static WorkerProperties properties() {
		return new WorkerProperties("w1", 4, 1000, Set.of("veo_2_1080p_upsampler_8s"), Duration.ofSeconds(3),
				Duration.ofMillis(100), 5, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ZERO,
				Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(2));
	}

}
