package io.veoupscale.worker.batch;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.veoupscale.worker.WorkerInstance;
import io.veoupscale.worker.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Claims free batches while this instance has room, works each on its own thread, and
 * renews the leases of the batches it works; a batch whose lease was lost is stopped at
 * once.
 */
@Component
class BatchRunner implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(BatchRunner.class);

	private final BatchRepository batches;

	private final BatchProcessor processor;

	private final WorkerProperties properties;

	private final WorkerInstance instance;

	private final Clock clock;

	private final ThreadPoolTaskExecutor executor;

	private final Map<String, Future<?>> active = new ConcurrentHashMap<>();

	BatchRunner(BatchRepository batches, BatchProcessor processor, WorkerProperties properties, WorkerInstance instance,
			Clock clock, MeterRegistry meters) {
		this.batches = batches;
		this.processor = processor;
		this.properties = properties;
		this.instance = instance;
		this.clock = clock;
		this.executor = new ThreadPoolTaskExecutor();
		this.executor.setCorePoolSize(properties.maxConcurrentBatches());
		this.executor.setMaxPoolSize(properties.maxConcurrentBatches());
		this.executor.setQueueCapacity(0);
		this.executor.setThreadNamePrefix("batch-");
		this.executor.initialize();
		Gauge.builder("upscale.batches.in.progress", this.active, Map::size)
			.description("Batches this instance is working on")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${upscale.worker.claim-interval:250ms}")
	void claimFreeBatches() {
		while (this.active.size() < this.properties.maxConcurrentBatches()) {
			Optional<BatchRepository.LeasedBatch> claimed = this.batches.claim(this.instance.id(), this.clock.instant(),
					this.properties.leaseDuration());
			if (claimed.isEmpty()) {
				return;
			}
			BatchRepository.LeasedBatch batch = claimed.get();
			Future<?> running = this.active.get(batch.id());
			if (running != null && !running.isDone()) {
				// Our own lease ran out before a heartbeat renewed it, and this claim
				// took it
				// again: the batch is still being worked here, and a second thread on it
				// would
				// pass the same lease fence and start its items twice.
				logger.warn("batch {}: lease ran out while worked here; claimed again, work goes on", batch.id());
				continue;
			}
			logger.info("batch {}: leased by {}", batch.id(), this.instance.id());
			this.active.put(batch.id(), this.executor.submit(() -> work(batch)));
		}
	}

	@Scheduled(fixedDelayString = "${upscale.worker.heartbeat-interval:5s}")
	void renewLeases() {
		Set<String> working = Set.copyOf(this.active.keySet());
		Set<String> renewed = this.batches.renew(this.instance.id(), working, this.clock.instant(),
				this.properties.leaseDuration());
		for (String batchId : working) {
			if (!renewed.contains(batchId)) {
				Future<?> execution = this.active.get(batchId);
				if (execution != null && !execution.isDone()) {
					logger.warn("batch {}: lease lost; stopping work on it", batchId);
					execution.cancel(true);
				}
			}
		}
	}

	private void work(BatchRepository.LeasedBatch batch) {
		try {
			this.processor.process(batch);
		}
		catch (LeaseLostException ex) {
			logger.warn(ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.error("batch {}: stopped by an unexpected error; another claim will resume it", batch.id(), ex);
			this.batches.release(batch.id(), this.instance.id());
		}
		finally {
			this.active.remove(batch.id());
		}
	}

	@Override
	public void destroy() {
		this.executor.shutdown();
		for (String batchId : this.active.keySet()) {
			this.batches.release(batchId, this.instance.id());
		}
	}

}
