package io.veoupscale.simulator;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SimulatorPropertiesTests {

	@Test
	void rejectsCompletionBeforeThePendingPhaseEnds() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SimulatorProperties(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ZERO,
					Duration.ofHours(1), SimulatorProperties.StartResponse.OPERATIONS, null, List.of(),
					Duration.ofHours(6), List.of(), "PAYGATE_TIER_TWO", 240))
			.withMessageContaining("complete-after");
	}

	@Test
	void rejectsTokensThatAreBornExpired() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SimulatorProperties(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ZERO,
					Duration.ZERO, SimulatorProperties.StartResponse.OPERATIONS, null, List.of(), Duration.ofHours(6),
					List.of(), "PAYGATE_TIER_TWO", 240))
			.withMessageContaining("token-lifetime");
	}

}
