package io.veoupscale.poller;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poller's settings as the application binds and validates them.
 */
class PollerPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(WithPollerProperties.class);

	@Test
	void bindsItsDefaults() {
		this.runner.run((context) -> {
			PollerProperties properties = context.getBean(PollerProperties.class);
			assertThat(properties.pollInterval()).isEqualTo(Duration.ofMillis(500));
			assertThat(properties.inFlightRefresh()).isEqualTo(Duration.ofSeconds(15));
			assertThat(properties.stopTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(properties.deadline()).isEqualTo(Duration.ofMinutes(30));
		});
	}

	@Test
	void bindsTheTestsShortValues() {
		this.runner
			.withPropertyValues(PollerTestSystem.FAST.entrySet()
				.stream()
				.map((property) -> property.getKey() + "=" + property.getValue())
				.toArray(String[]::new))
			.withPropertyValues("upscale.poller.deadline=4s")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void rejectsACheckIntervalLongerThanTheLongest() {
		this.runner.withPropertyValues("upscale.poller.check-interval=2m", "upscale.poller.max-check-interval=1m")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("check-interval must not be longer than max-check-interval"));
	}

	@Test
	void rejectsAFirstCheckAtOrAfterTheDeadline() {
		this.runner.withPropertyValues("upscale.poller.first-check-delay=5s", "upscale.poller.deadline=5s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("first-check-delay must be shorter than deadline"));
	}

	@Test
	void rejectsAPollIntervalOfZero() {
		this.runner.withPropertyValues("upscale.poller.poll-interval=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("upscale.poller.poll-interval"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(PollerProperties.class)
	static class WithPollerProperties {

	}

}
