package io.veoupscale.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite in short, inside {@code ./mvnw verify}: the packaged services as
 * separate processes, three SIGKILLs of the worker holding a 20-item batch, 300 fuzzed
 * requests at the gateway and 50 malformed records on the requests topic. The full suite
 * is a program ({@code java -jar fault-suite/target/fault-suite-0.1.0-SNAPSHOT.jar}).
 */
class FaultSuiteSmokeIntegrationTests {

	@Test
	void losesAndDuplicatesNothingUnderWorkerKillsAndBadInput() throws Exception {
		Instant started = Instant.now();
		List<Outcome> outcomes = FaultSuite.run(Path.of("target", "fault-suite-smoke"), List.of("kills", "fuzz"), true);
		FaultSuite.print(outcomes, Duration.between(started, Instant.now()), System.out);

		assertThat(outcomes).extracting(Outcome::scenario)
			.containsExactly("1 worker kill -9", "2a gateway fuzz", "2b poison records");
		assertThat(outcomes)
			.allSatisfy((outcome) -> assertThat(outcome.passed()).as("%s: %s", outcome.scenario(), outcome.failures())
				.isTrue());
	}

}
