package io.veoupscale.gateway.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.veoupscale.gateway.webhook.RetryPolicy.Decision;
import io.veoupscale.store.webhook.WebhookProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTests {

	private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");

	private static WebhookProperties.Sender settings(double jitter) {
		return new WebhookProperties.Sender(true, 4, Duration.ofMillis(500), Duration.ofSeconds(10),
				Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(1), jitter, Duration.ofHours(24), 1024);
	}

	@Test
	void deliversOnA2xxAndDisablesOnGone() {
		RetryPolicy policy = new RetryPolicy(settings(0), () -> 0.5);
		assertThat(policy.decide(200, 1, FIRST, FIRST)).isInstanceOf(Decision.Delivered.class);
		assertThat(policy.decide(299, 3, FIRST, FIRST)).isInstanceOf(Decision.Delivered.class);
		assertThat(policy.decide(410, 1, FIRST, FIRST)).isInstanceOf(Decision.Disable.class);
	}

	@Test
	void retriesErrorsRedirectsAndNoAnswerAfterADoublingWait() {
		RetryPolicy policy = new RetryPolicy(settings(0), () -> 0.5);
		for (Integer status : List.of(500, 503, 404, 301)) {
			assertThat(policy.decide(status, 1, FIRST, FIRST)).isEqualTo(new Decision.Retry(FIRST.plusSeconds(5)));
		}
		assertThat(policy.decide(null, 1, FIRST, FIRST)).isEqualTo(new Decision.Retry(FIRST.plusSeconds(5)));
		assertThat(policy.decide(500, 2, FIRST, FIRST)).isEqualTo(new Decision.Retry(FIRST.plusSeconds(10)));
		assertThat(policy.decide(500, 3, FIRST, FIRST)).isEqualTo(new Decision.Retry(FIRST.plusSeconds(20)));
		assertThat(policy.decide(500, 30, FIRST, FIRST)).isEqualTo(new Decision.Retry(FIRST.plusSeconds(3600)));
	}

	@Test
	void jittersEachWaitWithinItsShare() {
		assertThat(new RetryPolicy(settings(0.2), () -> 0.0).backoff(1)).isEqualTo(Duration.ofSeconds(4));
		assertThat(new RetryPolicy(settings(0.2), () -> 1.0).backoff(1)).isEqualTo(Duration.ofSeconds(6));
		assertThat(new RetryPolicy(settings(0.2), () -> 0.0).backoff(40)).isEqualTo(Duration.ofMinutes(48));
	}

	@Test
	void givesUpWhenTheNextAttemptWouldFallPastTheRetryPeriod() {
		RetryPolicy policy = new RetryPolicy(settings(0), () -> 0.5);
		Instant late = FIRST.plus(Duration.ofHours(23)).plusSeconds(1);
		assertThat(policy.decide(500, 20, FIRST, late)).isInstanceOf(Decision.GiveUp.class);
		assertThat(policy.decide(500, 20, FIRST, FIRST.plus(Duration.ofHours(22))))
			.isEqualTo(new Decision.Retry(FIRST.plus(Duration.ofHours(23))));
	}

}
