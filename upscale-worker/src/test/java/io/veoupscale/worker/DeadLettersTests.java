package io.veoupscale.worker;

import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.UpscaleJson;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

import org.springframework.kafka.listener.ListenerExecutionFailedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How a dead-lettered record's reason is told and categorised, without its content.
 */
class DeadLettersTests {

	@Test
	void neverQuotesTheRecordOfAJsonError() {
		JacksonException json = catchThrowableOfType(JacksonException.class,
				() -> UpscaleJson.read("{\"sessionToken\":\"secret-value\" oops", BatchRequested.class));
		Exception failure = new ListenerExecutionFailedException("Listener failed", json);

		assertThat(DeadLetters.reason(failure)).isEqualTo(DeadLetters.UNREADABLE);
		assertThat(DeadLetters.detail(failure)).startsWith("not a batch request's JSON (")
			.contains("line 1, column ")
			.doesNotContain("secret-value")
			.doesNotContain("oops");
	}

	@Test
	void namesAnyOtherFailureByItsClassWithAMessageThatCannotForgeALogLine() {
		Exception failure = new ListenerExecutionFailedException("Listener failed",
				new IllegalStateException("database down\nWARN forged line"));

		assertThat(DeadLetters.reason(failure)).isEqualTo(DeadLetters.FAILED);
		assertThat(DeadLetters.detail(failure))
			.isEqualTo("java.lang.IllegalStateException: database down\\u000aWARN forged line");
	}

}
