package io.veoupscale.gateway.batch;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.gateway.events.LiveEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The sync requests this instance holds, each waiting for its batch to have every item
 * initiated. Completed by the batch's live events (this instance reads every event), or
 * by the database when those are late; on shutdown every wait ends early with what is
 * known.
 */
@Component
class SyncWaiters implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(SyncWaiters.class);

	private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();

	private final BatchQueries queries;

	private volatile boolean running;

	SyncWaiters(BatchQueries queries) {
		this.queries = queries;
	}

	/**
	 * Starts waiting for a batch; call before the batch is published so that no event is
	 * missed.
	 * @param batchId the batch
	 * @param total its number of items
	 * @return completes when every item was initiated or failed
	 */
	CompletableFuture<Void> register(String batchId, int total) {
		Waiter waiter = new Waiter(total);
		this.waiters.put(batchId, waiter);
		waiter.done.whenComplete((result, ex) -> this.waiters.remove(batchId, waiter));
		return waiter.done;
	}

	/**
	 * Stops waiting for a batch.
	 * @param batchId the batch
	 */
	void forget(String batchId) {
		Waiter waiter = this.waiters.remove(batchId);
		if (waiter != null) {
			waiter.done.cancel(false);
		}
	}

	/**
	 * Handles an event of the events topic, on the consumer's thread.
	 * @param event the event
	 */
	@EventListener
	public void onEvent(LiveEvent event) {
		Waiter waiter = this.waiters.get(event.batchId());
		if (waiter == null) {
			return;
		}
		if (BatchCompleted.TYPE.equals(event.type())) {
			waiter.done.complete(null);
		}
		else if (ItemProgressed.TYPE.equals(event.type())) {
			try {
				JsonNode payload = UpscaleJson.mapper().readTree(event.payload());
				waiter.finished(payload.path("index").asInt(0));
			}
			catch (JacksonException ex) {
				logger.warn("batch {}: a progress event is not JSON", event.batchId());
			}
		}
	}

	/**
	 * Completes the waits of batches the database says are completed, in case their
	 * events are late.
	 */
	void checkDatabase() {
		if (this.waiters.isEmpty()) {
			return;
		}
		for (String batchId : this.queries.completed(List.copyOf(this.waiters.keySet()))) {
			Waiter waiter = this.waiters.get(batchId);
			if (waiter != null) {
				waiter.done.complete(null);
			}
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		for (Waiter waiter : List.copyOf(this.waiters.values())) {
			waiter.done.complete(null);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static final class Waiter {

		private final CompletableFuture<Void> done = new CompletableFuture<>();

		private final BitSet finished = new BitSet();

		private final int total;

		Waiter(int total) {
			this.total = total;
		}

		void finished(int index) {
			if (index < 1 || index > this.total) {
				return;
			}
			boolean all;
			synchronized (this.finished) {
				this.finished.set(index - 1);
				all = this.finished.cardinality() == this.total;
			}
			if (all) {
				this.done.complete(null);
			}
		}

	}

}
