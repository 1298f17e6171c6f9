package io.veoupscale.poller.operation;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.config.IntervalTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Scheduled work registered from the settings record.
 */
class PollingConfigurationTests {

	@Test
	void refreshesTheInFlightGaugeEveryInFlightRefresh() {
		ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();
		InFlightGauge gauge = new InFlightGauge(mock(OperationRepository.class), new SimpleMeterRegistry());

		new PollingConfiguration()
			.pollerHousekeeping(gauge, PollerSettings.bind(Map.of("upscale.poller.in-flight-refresh", "7s")))
			.configureTasks(registrar);

		assertThat(registrar.getFixedDelayTaskList()).singleElement()
			.extracting(IntervalTask::getIntervalDuration)
			.isEqualTo(Duration.ofSeconds(7));
	}

}
