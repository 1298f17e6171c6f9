package io.veoupscale.gateway.batch;

import io.veoupscale.gateway.GatewayProperties;
import io.veoupscale.gateway.events.EventStreamProperties;
import io.veoupscale.store.housekeeping.Housekeeping;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The batch endpoints' scheduled work: the sync waits' database check on every instance,
 * every {@code upscale.gateway.sync-check-interval}, and the accepted batches' purge once
 * per deployment, as often as the event log's retention is checked.
 */
@Configuration(proxyBeanMethods = false)
class BatchSchedules implements SchedulingConfigurer {

	private final SyncWaiters waiters;

	private final AcceptedBatches accepted;

	private final Housekeeping housekeeping;

	private final GatewayProperties properties;

	private final EventStreamProperties events;

	BatchSchedules(SyncWaiters waiters, AcceptedBatches accepted, Housekeeping housekeeping,
			GatewayProperties properties, EventStreamProperties events) {
		this.waiters = waiters;
		this.accepted = accepted;
		this.housekeeping = housekeeping;
		this.properties = properties;
		this.events = events;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(this.waiters::checkDatabase, this.properties.syncCheckInterval());
		this.housekeeping.every("accepted-batches-retention", this.events.retentionCheckInterval(),
				this.accepted::deleteExpired);
	}

}
