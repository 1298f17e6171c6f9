package io.veoupscale.gateway.idempotency;

import io.veoupscale.store.housekeeping.Housekeeping;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The purge of expired idempotency keys, once per deployment every
 * {@code upscale.gateway.idempotency.purge-interval}.
 */
@Configuration(proxyBeanMethods = false)
class IdempotencySchedules implements SchedulingConfigurer {

	private final IdempotencyKeys keys;

	private final Housekeeping housekeeping;

	private final IdempotencyProperties properties;

	IdempotencySchedules(IdempotencyKeys keys, Housekeeping housekeeping, IdempotencyProperties properties) {
		this.keys = keys;
		this.housekeeping = housekeeping;
		this.properties = properties;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		this.housekeeping.every("idempotency-keys-purge", this.properties.purgeInterval(), this.keys::purge);
	}

}
