package io.veoupscale.simulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedAccountsTests {

	@Test
	void accountIsTheFirstTwelveHexCharactersOfTheSessionTokensSha256() {
		// SHA-256("abc") =
		// ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
		assertThat(SimulatedAccounts.accountOf("abc")).isEqualTo("ba7816bf8f01");
	}

	@Test
	void differentSessionsHaveDifferentAccounts() {
		assertThat(SimulatedAccounts.accountOf("session-a")).isNotEqualTo(SimulatedAccounts.accountOf("session-b"))
			.matches("[0-9a-f]{12}");
	}

}
