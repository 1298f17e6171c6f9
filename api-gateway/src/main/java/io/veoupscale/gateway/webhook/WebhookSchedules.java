package io.veoupscale.gateway.webhook;

import io.veoupscale.store.housekeeping.Housekeeping;
import io.veoupscale.store.webhook.WebhookDeliveries;
import io.veoupscale.store.webhook.WebhookProperties;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The webhooks' scheduled work, timed by {@link WebhookProperties}: deliveries that were
 * sent or given up are deleted once older than the retention, once per deployment.
 */
@Configuration(proxyBeanMethods = false)
class WebhookSchedules implements SchedulingConfigurer {

	private final Housekeeping housekeeping;

	private final WebhookDeliveries deliveries;

	private final WebhookProperties properties;

	WebhookSchedules(Housekeeping housekeeping, WebhookDeliveries deliveries, WebhookProperties properties) {
		this.housekeeping = housekeeping;
		this.deliveries = deliveries;
		this.properties = properties;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		this.housekeeping.every("webhook-delivery-retention", this.properties.retentionCheckInterval(),
				() -> this.deliveries.deleteFinishedBefore(this.properties.deliveryRetention()));
	}

}
