package io.veoupscale.events;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BatchRequestRulesTests {

	private static final String NOT_ID_TEXT = "must be valid Unicode text without control characters, noncharacters "
			+ "or U+FFFD";

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

	@Test
	void rejectsAnUnpairedSurrogateThatUtf8WouldTurnIntoAQuestionMark() {
		BatchRequested command = new BatchRequested("b\udc00", List.of(new UpscaleRequest("abc\ud800x", null)), 0,
				Instant.now());

		assertThat(this.rules.problems(command)).containsExactly("batchId " + NOT_ID_TEXT,
				"requests[0].sourceGenerationId " + NOT_ID_TEXT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "\ud800", "a\udbffb", "\udc00", "a\udfff", "\udc00\ud800", "\ud83d", "tab\there",
			"line\nfeed", "a\rb", "\u001fx", "del\u007f", "nel\u0085", "\u009f", "\ufdd0", "\ufdef", "\ufffe", "\uffff",
			"\ud83f\udffe", "\udbff\udfff", "lost\ufffdbyte" })
	void rejectsAnIdThatCannotComeBackUnchanged(String id) {
		assertThat(BatchRequestRules.idProblem(id, 128)).isEqualTo(NOT_ID_TEXT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "gen1", "e\u0301\u0301", "\u202egen\u202c", "\u2066x\u2069", "a\u200db", "\ufeffbom",
			"soft\u00adhyphen", "\ud83d\ude00", "\ud83d\udc68\u200d\ud83d\udc69", "\ue000", "\udb80\udc00", "\u0378",
			"a\u2028b\u2029", "...", ".a", " padded ", "a/b", "a\\b", "100%", "\u4e2d\u6587", "\ud800\udc00",
			"\udbff\udffd" })
	void acceptsAnIdThatComesBackUnchanged(String id) {
		assertThat(BatchRequestRules.idProblem(id, 128)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { ".", ".." })
	void rejectsAPathStep(String id) {
		assertThat(BatchRequestRules.idProblem(id, 128)).isEqualTo("must not be '.' or '..'");
	}

	@Test
	void measuresLengthInUtf16CodeUnits() {
		assertThat(BatchRequestRules.idProblem("\ud83d\ude00".repeat(64), 128)).isNull();
		assertThat(BatchRequestRules.idProblem("\ud83d\ude00".repeat(64) + "x", 128))
			.isEqualTo("must be at most 128 characters");
		assertThat(BatchRequestRules.idProblem(" \t", 128)).isEqualTo("must not be blank");
		assertThat(BatchRequestRules.idProblem(null, 128)).isEqualTo("must not be blank");
	}

	@Test
	void rejectsTextThatCouldNotBeStoredAsSent() {
		assertThat(BatchRequestRules.textProblem("Main\u0000")).isEqualTo("must not contain NUL characters");
		assertThat(BatchRequestRules.textProblem("Main\ud800"))
			.isEqualTo("must be valid Unicode text (it holds an unpaired surrogate)");
		assertThat(BatchRequestRules.textProblem("Main\taccount \ufffd\u0085\ud83d\ude00")).isNull();
		assertThat(BatchRequestRules.textProblem(null)).isNull();
	}

	@Test
	void quotesARejectedModelSoThatTheMessageSurvivesEveryHop() {
		List<String> problems = this.rules
			.problems(List.of(new UpscaleRequest("gen1", "veo\ud800\n\u0000" + "x".repeat(100))), null);

		assertThat(problems).singleElement()
			.asString()
			.startsWith("requests[0].model must be one of veo_2_1080p_upsampler_8s (got 'veo\\ud800\\u000a\\u0000x")
			.endsWith("x...')");
		assertThat(BatchRequestRules.textProblem(problems.get(0))).isNull();
		assertThat(BatchRequestRules.idProblem(problems.get(0), 1000)).isNull();
	}

}
