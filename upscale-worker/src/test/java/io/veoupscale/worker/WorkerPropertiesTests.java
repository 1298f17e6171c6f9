package io.veoupscale.worker;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerPropertiesTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Settings.class);

	@Test
	void bindsItsDefaults() {
		this.contexts.run((context) -> {
			WorkerProperties properties = context.getBean(WorkerProperties.class);
			assertThat(properties.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.profileMinSpacing()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.maxLeasedBatches()).isEqualTo(2000);
		});
	}

	@Test
	void refusesAHeartbeatThatCouldLetALeaseRunOut() {
		this.contexts.withPropertyValues("upscale.worker.lease-duration=3s", "upscale.worker.heartbeat-interval=2s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("heartbeat-interval must be positive and at most a third of lease-duration"));
	}

	@Test
	void bindsTheListenersRetriesUnderItsOwnPrefix() {
		this.contexts
			.withPropertyValues("upscale.worker.listener.initial-backoff=100ms",
					"upscale.worker.listener.give-up-after=5s")
			.run((context) -> {
				WorkerProperties properties = context.getBean(WorkerProperties.class);
				assertThat(properties.listener().backOff().getInitialInterval()).isEqualTo(100);
				assertThat(properties.listener().backOff().getMaxElapsedTime()).isEqualTo(5_000);
				assertThat(properties.listener().maxBackoff()).isEqualTo(Duration.ofSeconds(10));
			});
	}

	@Test
	void refusesARetryThatStartsAboveItsMaximum() {
		this.contexts
			.withPropertyValues("upscale.worker.listener.initial-backoff=20s", "upscale.worker.listener.max-backoff=5s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("listener.initial-backoff must not be longer than listener.max-backoff"));
	}

	@Test
	void refusesAZeroClaimInterval() {
		this.contexts.withPropertyValues("upscale.worker.claim-interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("claim-interval"));
	}

	@Test
	void failsTheItemsOfAQuotaHeldProfileAndResetsQuotasAtUtcMidnightByDefault() {
		this.contexts.run((context) -> {
			AccountProperties accounts = context.getBean(AccountProperties.class);
			assertThat(accounts.quotaHeldItems()).isEqualTo(AccountProperties.QuotaHeldItems.FAIL);
			assertThat(accounts.quotaResetZone()).isEqualTo(java.time.ZoneId.of("UTC"));
			assertThat(accounts.quotaResetTime()).isEqualTo(java.time.LocalTime.MIDNIGHT);
			assertThat(accounts.unknownOutcomeGrace()).isEqualTo(Duration.ofSeconds(10));
			assertThat(accounts.creditsByModel()).containsExactly(java.util.Map.entry("veo_3_1_upsampler_4k", 50));
			assertThat(accounts.ultraModels()).containsExactly("veo_3_1_upsampler_4k");
		});
	}

	@Test
	void refusesAModelCostThatIsNotModelEqualsCredits() {
		this.contexts.withPropertyValues("upscale.worker.accounts.model-credits=veo_3_1_upsampler_4k:50")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be model=credits"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ WorkerProperties.class, AccountProperties.class })
	static class Settings {

	}

}
