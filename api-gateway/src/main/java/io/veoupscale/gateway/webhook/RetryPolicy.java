package io.veoupscale.gateway.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

import io.veoupscale.store.webhook.WebhookProperties;
import org.jspecify.annotations.Nullable;

/**
 * What becomes of a delivery after an attempt, a pure function of the attempt's outcome,
 * the attempts so far and the time: a 2xx delivers it, 410 Gone disables the
 * subscription, anything else is retried after an exponentially growing, jittered wait
 * until the retry period since the first attempt is over, and then it has failed.
 */
final class RetryPolicy {

	private final WebhookProperties.Sender settings;

	private final DoubleSupplier random;

	RetryPolicy(WebhookProperties.Sender settings, DoubleSupplier random) {
		this.settings = settings;
		this.random = random;
	}

	/**
	 * Decides after an attempt.
	 * @param httpStatus the receiver's status, or {@code null} if none was received
	 * @param attempts attempts made, this one included
	 * @param firstAttemptAt when the first attempt was made
	 * @param now the current time
	 * @return the decision
	 */
	Decision decide(@Nullable Integer httpStatus, int attempts, Instant firstAttemptAt, Instant now) {
		if (httpStatus != null && httpStatus >= 200 && httpStatus < 300) {
			return new Decision.Delivered();
		}
		if (httpStatus != null && httpStatus == 410) {
			return new Decision.Disable();
		}
		Instant next = now.plus(backoff(attempts));
		if (next.isAfter(firstAttemptAt.plus(this.settings.retryPeriod()))) {
			return new Decision.GiveUp();
		}
		return new Decision.Retry(next);
	}

	/**
	 * The wait after a given number of failed attempts: the initial back-off doubled for
	 * each attempt after the first, at most the maximum, give or take the jitter.
	 */
	Duration backoff(int attempts) {
		long initial = this.settings.initialBackoff().toMillis();
		long max = this.settings.maxBackoff().toMillis();
		int doublings = Math.min(Math.max(attempts - 1, 0), 40);
		double base = Math.min((double) initial * Math.pow(2, doublings), max);
		double factor = 1 + this.settings.jitter() * (2 * this.random.getAsDouble() - 1);
		return Duration.ofMillis(Math.max(0, Math.round(base * factor)));
	}

	/**
	 * The outcome of an attempt.
	 */
	sealed interface Decision {

		/** The receiver accepted it. */
		record Delivered() implements Decision {
		}

		/** The receiver is gone for good (410): no more deliveries to it. */
		record Disable() implements Decision {
		}

		/** Try again at the given time. */
		record Retry(Instant at) implements Decision {
		}

		/** The retry period is over. */
		record GiveUp() implements Decision {
		}

	}

}
