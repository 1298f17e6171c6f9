package io.veoupscale.simulator;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SimulatorPropertiesTests {

	@Test
	void bindsItsDefaults() {
		SimulatorProperties properties = bind(Map.of());

		assertThat(properties.completeAfter()).isGreaterThan(properties.pendingFor());
		assertThat(properties.defaultTier()).isEqualTo("PAYGATE_TIER_TWO");
	}

	@Test
	void rejectsCompletionBeforeThePendingPhaseEnds() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("flow.simulator.pending-for", "5s", "flow.simulator.complete-after", "1s")))
			.havingRootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("complete-after");
	}

	@Test
	void rejectsTokensThatAreBornExpired() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("flow.simulator.token-lifetime", "0s")))
			.havingRootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("token-lifetime");
	}

	static SimulatorProperties bind(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("flow.simulator",
				SimulatorProperties.class);
	}

}
