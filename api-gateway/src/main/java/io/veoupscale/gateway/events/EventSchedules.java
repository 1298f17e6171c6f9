package io.veoupscale.gateway.events;

import io.veoupscale.store.housekeeping.Housekeeping;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The event streams' scheduled work, timed by {@link EventStreamProperties}: heartbeats
 * on every instance, and the event log's retention once per deployment.
 */
@Configuration(proxyBeanMethods = false)
class EventSchedules implements SchedulingConfigurer {

	private final EventHub hub;

	private final EventLog log;

	private final Housekeeping housekeeping;

	private final EventStreamProperties properties;

	EventSchedules(EventHub hub, EventLog log, Housekeeping housekeeping, EventStreamProperties properties) {
		this.hub = hub;
		this.log = log;
		this.housekeeping = housekeeping;
		this.properties = properties;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(this.hub::heartbeat, this.properties.heartbeatInterval());
		this.housekeeping.every("event-log-retention", this.properties.retentionCheckInterval(),
				this.log::deleteExpired);
	}

}
