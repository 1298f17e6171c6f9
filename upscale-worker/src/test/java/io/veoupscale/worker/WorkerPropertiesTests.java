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
	void refusesAZeroClaimInterval() {
		this.contexts.withPropertyValues("upscale.worker.claim-interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("claim-interval"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(WorkerProperties.class)
	static class Settings {

	}

}
