package io.veoupscale.gateway.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.veoupscale.store.InstanceIds;
import io.veoupscale.store.webhook.WebhookDeliveries;
import io.veoupscale.store.webhook.WebhookDeliveries.Claimed;
import io.veoupscale.store.webhook.WebhookProperties;
import io.veoupscale.store.webhook.WebhookSubscriptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The sender pool of one instance: each of its threads claims the next due delivery
 * (waiting, when there is none, for a poll interval or the {@link DeliverySignal} that
 * new ones were committed), posts it signed, and records what the {@link RetryPolicy}
 * decides. Instances share the work through the deliveries' leases; a delivery whose
 * sender died is taken over once its lease ends, so each is sent at least once. Off when
 * {@code upscale.webhooks.sender.enabled} is false.
 */
@Component
class WebhookSender implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(WebhookSender.class);

	private final WebhookDeliveries deliveries;

	private final WebhookSubscriptions subscriptions;

	private final WebhookPoster poster;

	private final DeliverySignal signal;

	private final WebhookProperties.Sender settings;

	private final RetryPolicy policy;

	private final Clock clock;

	private final String instance = InstanceIds.resolve("");

	private final Counter delivered;

	private final Counter retried;

	private final Counter failed;

	private final Timer lag;

	private volatile boolean running;

	private ExecutorService threads;

	WebhookSender(WebhookDeliveries deliveries, WebhookSubscriptions subscriptions, WebhookPoster poster,
			DeliverySignal signal, WebhookProperties properties, Clock clock, MeterRegistry meters) {
		this.signal = signal;
		this.deliveries = deliveries;
		this.subscriptions = subscriptions;
		this.poster = poster;
		this.settings = properties.sender();
		this.policy = new RetryPolicy(this.settings, () -> ThreadLocalRandom.current().nextDouble());
		this.clock = clock;
		this.delivered = Counter.builder("upscale.webhooks.delivered")
			.description("Webhook deliveries a receiver accepted")
			.register(meters);
		this.retried = Counter.builder("upscale.webhooks.retried")
			.description("Webhook attempts that failed and will be retried")
			.register(meters);
		this.failed = Counter.builder("upscale.webhooks.failed")
			.description("Webhook deliveries given up (retry period over, or the receiver answered 410 Gone)")
			.register(meters);
		this.lag = Timer.builder("upscale.webhooks.lag")
			.description("From an event to its delivery's acceptance by the receiver")
			.publishPercentiles(0.5, 0.99)
			.register(meters);
	}

	@Override
	public void start() {
		if (!this.settings.enabled()) {
			logger.info("Webhook sender off on this instance (upscale.webhooks.sender.enabled=false)");
			return;
		}
		this.running = true;
		AtomicInteger count = new AtomicInteger();
		this.threads = Executors.newFixedThreadPool(this.settings.threads() + 1, (task) -> {
			Thread thread = new Thread(task, "webhook-sender-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.threads.execute(() -> this.signal.listen(this.settings.pollInterval()));
		for (int i = 0; i < this.settings.threads(); i++) {
			this.threads.execute(this::loop);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.threads != null) {
			this.threads.shutdownNow();
			try {
				this.threads.awaitTermination(this.settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void loop() {
		while (this.running && !Thread.currentThread().isInterrupted()) {
			long mark = this.signal.mark();
			boolean sent;
			try {
				sent = sendNext();
			}
			catch (RuntimeException ex) {
				logger.warn("Webhook sender: {}; trying again in {}", ex.getMessage(), this.settings.pollInterval());
				sent = false;
			}
			if (!sent) {
				try {
					this.signal.await(mark, this.settings.pollInterval());
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}
	}

	/**
	 * Claims and sends one delivery.
	 * @return whether there was one
	 */
	boolean sendNext() {
		List<Claimed> claimed = this.deliveries.claim(this.instance, this.clock.instant(), this.settings.lease(), 1);
		if (claimed.isEmpty()) {
			return false;
		}
		send(claimed.get(0));
		return true;
	}

	private void send(Claimed delivery) {
		Optional<String> secret = this.subscriptions.secret(delivery.subscriptionId(), delivery.secret());
		WebhookPoster.Result result;
		if (secret.isEmpty()) {
			result = new WebhookPoster.Result(null, null,
					"No callback secret is configured (UPSCALE_WEBHOOKS_CALLBACK_SECRET) to sign callbackUrl deliveries");
		}
		else {
			long timestamp = this.clock.instant().getEpochSecond();
			String id = delivery.webhookId();
			result = this.poster.post(delivery.url(),
					Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature",
							WebhookSignature.sign(secret.get(), id, timestamp, delivery.payload())),
					delivery.payload());
		}
		Instant now = this.clock.instant();
		RetryPolicy.Decision decision = this.policy.decide(result.status(), delivery.attempts(),
				delivery.firstAttemptAt(), now);
		if (decision instanceof RetryPolicy.Decision.Delivered) {
			if (this.deliveries.delivered(delivery, result.status(), now)) {
				this.delivered.increment();
				this.lag.record(Duration.between(delivery.occurredAt(), now));
			}
		}
		else if (decision instanceof RetryPolicy.Decision.Retry retry) {
			if (this.deliveries.retry(delivery, result.status(), result.describe(), retry.at())) {
				this.retried.increment();
				logger.info("webhook {} to subscription {}: attempt {} failed ({}); next at {}", delivery.webhookId(),
						delivery.subscriptionId(), delivery.attempts(), result.describe(), retry.at());
			}
		}
		else if (decision instanceof RetryPolicy.Decision.GiveUp) {
			if (this.deliveries.failed(delivery, result.status(), result.describe())) {
				this.failed.increment();
				logger.warn("webhook {} to subscription {}: failed after {} attempts ({})", delivery.webhookId(),
						delivery.subscriptionId(), delivery.attempts(), result.describe());
			}
		}
		else {
			this.deliveries.failed(delivery, result.status(), result.describe());
			this.subscriptions.disable(delivery.subscriptionId(), "The receiver answered 410 Gone");
			this.failed.increment();
			logger.warn("subscription {}: disabled, the receiver answered 410 Gone", delivery.subscriptionId());
		}
	}

}
