package io.veoupscale.events;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchRequestRulesTests {

	private final BatchRequestRules rules = new BatchRequestRules(1000, Set.of("veo_2_1080p_upsampler_8s"));

	@Test
	void rejectsANulCharacterThatPostgresqlCouldNeverStore() {
		BatchRequested command = new BatchRequested("b\u00001", List.of(new UpscaleRequest("gen\u00001", null)), 0,
				Instant.now());

		assertThat(this.rules.problems(command)).containsExactly("batchId must not contain NUL characters",
				"requests[0].sourceGenerationId must not contain NUL characters");
	}

	@Test
	void acceptsOtherUnicode() {
		BatchRequested command = new BatchRequested("b1", List.of(new UpscaleRequest("gen-\u202e\ud83d\ude00", null)),
				0, Instant.now());

		assertThat(this.rules.problems(command)).isEmpty();
	}

}
