package io.veoupscale.store;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How a Kafka listener retries a record it could not take (PostgreSQL unreachable, say)
 * before it sends the record to {@code <topic>.DLT} with the reason in its headers. A
 * record that cannot be read, or that breaks the rules, goes there at once. Each service
 * binds it under its own prefix ({@code upscale.worker.listener},
 * {@code upscale.poller.listener}).
 *
 * @param initialBackoff the first wait before a retry
 * @param backoffMultiplier factor applied to the wait after each retry
 * @param maxBackoff the longest wait before a retry; the consumer waits in its poll
 * thread, so keep it well under Kafka's max.poll.interval.ms
 * @param giveUpAfter how long a record is retried before it is dead-lettered
 */
public record ListenerRetry(@DefaultValue("500ms") @DurationMin(millis = 1) Duration initialBackoff,
		@DefaultValue("2.0") @DecimalMin("1.0") double backoffMultiplier,
		@DefaultValue("10s") @DurationMin(millis = 1) Duration maxBackoff,
		@DefaultValue("60s") @DurationMin(millis = 0) Duration giveUpAfter) {

	/**
	 * Whether the back-off starts within its own limit.
	 * @return whether {@code initial-backoff} is at most {@code max-backoff}
	 */
	@AssertTrue(message = "listener.initial-backoff must not be longer than listener.max-backoff")
	public boolean isInitialBackoffWithinMaxBackoff() {
		return this.initialBackoff.compareTo(this.maxBackoff) <= 0;
	}

	/**
	 * The back-off of a listener's error handler.
	 * @return a new back-off with these settings
	 */
	public ExponentialBackOff backOff() {
		ExponentialBackOff backOff = new ExponentialBackOff(this.initialBackoff.toMillis(), this.backoffMultiplier);
		backOff.setMaxInterval(this.maxBackoff.toMillis());
		backOff.setMaxElapsedTime(this.giveUpAfter.toMillis());
		return backOff;
	}

}
