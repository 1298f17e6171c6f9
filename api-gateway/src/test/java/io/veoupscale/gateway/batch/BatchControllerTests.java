package io.veoupscale.gateway.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.WebSliceConfiguration;
import io.veoupscale.gateway.web.ApiException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every input rule of both batch endpoints and its message, and how answers, replays and
 * refusals reach the client; no broker, no database.
 */
@WebMvcTest(BatchController.class)
@Import(WebSliceConfiguration.class)
@TestPropertySource(properties = "upscale.gateway.api-key-hashes=" + GatewayClient.API_KEY_HASH)
class BatchControllerTests {

	private static final String ASYNC = "/api/v1/upscale-batches";

	private static final String SYNC = "/api/v1/upscale-batches/sync";

	private static final String MODELS = "veo_2_1080p_upsampler_8s, veo_3_1_upsampler_1080p, veo_3_1_upsampler_4k";

	private static final String DELAY_RULE = "delayMs must be an integer from 0 to 60000";

	@Autowired
	MockMvc mvc;

	@MockitoBean
	BatchSubmissions submissions;

	@MockitoBean
	BatchQueries queries;

	@MockitoBean
	io.veoupscale.store.batch.BatchControl control;

	@MockitoBean
	BatchRetries retries;

	@Test
	void refusesAListWithAnUnknownStatusABadLimitSinceOrCursor() throws Exception {
		this.mvc.perform(get(ASYNC + "?status=finished").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.success").value(false))
			.andExpect(jsonPath("$.error").value(org.hamcrest.Matchers
				.containsString("must be one of queued, running, paused, cancelling, completed, cancelled")));
		this.mvc.perform(get(ASYNC + "?limit=201").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isBadRequest());
		this.mvc.perform(get(ASYNC + "?since=yesterday").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("since must be an ISO-8601 instant such as 2026-01-01T00:00:00Z"));
		this.mvc.perform(get(ASYNC + "?cursor=bm9wZQ").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("cursor is not a nextCursor this API gave"));
		verifyNoInteractions(this.queries);
	}

	@Test
	void answersACommandOnAnUnknownBatch404AndOneTheStateRefuses409() throws Exception {
		given(this.control.apply(eq("nosuch"), eq("cancel"), eq(false), eq(null), any()))
			.willReturn(new io.veoupscale.store.batch.BatchControl.Result(
					io.veoupscale.store.batch.BatchControl.Outcome.NOT_FOUND, "Batch nosuch not found"));
		given(this.control.apply(eq("done"), eq("pause"), eq(false), eq(null), any()))
			.willReturn(new io.veoupscale.store.batch.BatchControl.Result(
					io.veoupscale.store.batch.BatchControl.Outcome.CONFLICT,
					"Batch done has completed; it cannot be paused"));
		this.mvc.perform(post(ASYNC + "/nosuch/cancel").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("Batch nosuch not found"));
		this.mvc.perform(post(ASYNC + "/done/pause").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.success").value(false))
			.andExpect(jsonPath("$.error").value("Batch done has completed; it cannot be paused"));
	}

	@Test
	void refusesARetryBodyOtherThanOnlyOneOfItsKinds() throws Exception {
		for (String body : List.of("{\"only\":\"some\"}", "{\"only\":3}", "{\"all\":true}", "[1]")) {
			this.mvc
				.perform(post(ASYNC + "/b1/retry").header("Authorization", "Bearer " + GatewayClient.API_KEY)
					.contentType(MediaType.APPLICATION_JSON)
					.content(body))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.success").value(false));
		}
		verifyNoInteractions(this.retries);
	}

	@BeforeEach
	void answer() {
		given(this.submissions.timeout(any())).willReturn(Duration.ofSeconds(5));
		given(this.submissions.submit(any(), eq(BatchSubmissions.Mode.ASYNC), any()))
			.willReturn(CompletableFuture.completedFuture(new BatchSubmissions.Answer(202,
					"{\"success\":true,\"data\":{\"batchId\":\"b1\",\"total\":1}}", false)));
		given(this.submissions.submit(any(), eq(BatchSubmissions.Mode.SYNC), any()))
			.willReturn(CompletableFuture.completedFuture(new BatchSubmissions.Answer(200,
					"{\"success\":true,\"data\":[],\"batchId\":\"b1\",\"complete\":true}", false)));
	}

	static Stream<Arguments> invalidBodies() {
		String longId = "g".repeat(129);
		String tooMany = "{\"requests\":["
				+ String.join(",", Collections.nCopies(1001, "{\"sourceGenerationId\":\"g\"}")) + "]}";
		List<Arguments> cases = List.of(
				Arguments.of("[{\"sourceGenerationId\":\"g1\"}]",
						"Request body must be a JSON object with a requests array"),
				Arguments.of("{}", "requests must contain at least 1 item"),
				Arguments.of("{\"requests\":null}", "requests must contain at least 1 item"),
				Arguments.of("{\"requests\":[]}", "requests must contain at least 1 item"),
				Arguments.of("{\"requests\":{\"sourceGenerationId\":\"g1\"}}",
						"requests must be an array of objects with a sourceGenerationId"),
				Arguments.of("{\"requests\":\"g1\"}", "requests must be an array of objects with a sourceGenerationId"),
				Arguments.of(tooMany, "requests must contain at most 1000 items (got 1001)"),
				Arguments.of("{\"requests\":[\"g1\"]}", "requests[0] must be an object with a sourceGenerationId"),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"g1\"},{}]}",
						"requests[1].sourceGenerationId must not be blank"),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"   \"}]}",
						"requests[0].sourceGenerationId must not be blank"),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":null}]}",
						"requests[0].sourceGenerationId must not be blank"),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"" + longId + "\"}]}",
						"requests[0].sourceGenerationId must be at most 128 characters"),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":42}]}",
						"requests[0].sourceGenerationId must be a string"),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"g1\",\"model\":\"veo_9\"}]}",
						"requests[0].model must be one of " + MODELS + " (got 'veo_9')"),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"g1\",\"model\":7}]}",
						"requests[0].model must be a string, one of " + MODELS),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"g1\"}],\"delayMs\":1.5}", DELAY_RULE),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"g1\"}],\"delayMs\":1500.0}", DELAY_RULE),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"g1\"}],\"delayMs\":\"1500\"}", DELAY_RULE),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"g1\"}],\"delayMs\":true}", DELAY_RULE),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"g1\"}],\"delayMs\":-1}", DELAY_RULE),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"g1\"}],\"delayMs\":60001}", DELAY_RULE),
				Arguments.of("{\"requests\":[{\"sourceGenerationId\":\"g1\"}],\"delayMs\":10000000000}", DELAY_RULE),
				Arguments.of(
						"{\"requests\":[{\"sourceGenerationId\":\"\"},{\"sourceGenerationId\":\"g2\",\"model\":\"x\"}],"
								+ "\"delayMs\":99999}",
						DELAY_RULE
								+ "; requests[0].sourceGenerationId must not be blank; requests[1].model must be one of "
								+ MODELS + " (got 'x')"));
		return Stream.of(ASYNC, SYNC)
			.flatMap((path) -> cases.stream()
				.map((arguments) -> Arguments.of(path, arguments.get()[0], arguments.get()[1])));
	}

	@ParameterizedTest(name = "{0} {2}")
	@MethodSource("invalidBodies")
	void rejectsABodyThatBreaksARuleNamingTheFieldAndTheRule(String path, String body, String error) throws Exception {
		submit(path, body).andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.success").value(false))
			.andExpect(jsonPath("$.error").value(error));
		verifyNoInteractions(this.submissions);
	}

	@ParameterizedTest
	@ValueSource(strings = { ASYNC, SYNC })
	void rejectsMalformedJsonWithItsPosition(String path) throws Exception {
		submit(path, "{\"requests\":[{\"sourceGenerationId\":\"g1\"}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.success").value(false))
			.andExpect(jsonPath("$.error")
				.value(org.hamcrest.Matchers.startsWith("Request body is not valid JSON (line 1")));
	}

	@ParameterizedTest
	@ValueSource(strings = { ASYNC, SYNC })
	void rejectsAMissingBody(String path) throws Exception {
		submit(path, "").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("Request body is missing or not valid JSON"));
	}

	@ParameterizedTest
	@ValueSource(strings = { ASYNC, SYNC })
	void rejectsAnotherContentTypeWith415(String path) throws Exception {
		this.mvc
			.perform(post(path).header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.contentType(MediaType.TEXT_PLAIN)
				.content("{\"requests\":[{\"sourceGenerationId\":\"g1\"}]}"))
			.andExpect(status().isUnsupportedMediaType())
			.andExpect(jsonPath("$.success").value(false))
			.andExpect(jsonPath("$.error").value("Content-Type must be application/json"));
		this.mvc
			.perform(post(path).header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.content("{\"requests\":[{\"sourceGenerationId\":\"g1\"}]}"))
			.andExpect(status().isUnsupportedMediaType())
			.andExpect(jsonPath("$.error").value("Content-Type must be application/json"));
	}

	@ParameterizedTest
	@ValueSource(strings = { ASYNC, SYNC })
	void rejectsAnIdempotencyKeyThatIsNotVisibleAscii(String path) throws Exception {
		for (String key : List.of("with space", "k".repeat(256), "ключ")) {
			this.mvc
				.perform(post(path).header("Authorization", "Bearer " + GatewayClient.API_KEY)
					.header("Idempotency-Key", key)
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"requests\":[{\"sourceGenerationId\":\"g1\"}]}"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.error")
					.value("Idempotency-Key must be 1 to 255 visible ASCII characters without spaces"));
		}
	}

	@Test
	void acceptsTheBoundariesAppliesDefaultsAndToleratesUnknownFields() throws Exception {
		String longestId = "g".repeat(128);
		submit(ASYNC, "{\"requests\":[{\"sourceGenerationId\":\"" + longestId + "\",\"colour\":\"red\"},"
				+ "{\"sourceGenerationId\":\"g2\",\"model\":\"veo_3_1_upsampler_4k\"}],\"delayMs\":0,\"extra\":{\"a\":1}}")
			.andExpect(status().isAccepted())
			.andExpect(content().json("{\"success\":true,\"data\":{\"batchId\":\"b1\",\"total\":1}}"));
		submit(ASYNC, "{\"requests\":[{\"sourceGenerationId\":\"g1\"}],\"delayMs\":60000}")
			.andExpect(status().isAccepted());
		submit(ASYNC, "{\"requests\":[{\"sourceGenerationId\":\"g1\",\"model\":null}],\"delayMs\":null}")
			.andExpect(status().isAccepted());

		ArgumentCaptor<BatchSubmission> submitted = ArgumentCaptor.forClass(BatchSubmission.class);
		verify(this.submissions, org.mockito.Mockito.times(3)).submit(submitted.capture(),
				eq(BatchSubmissions.Mode.ASYNC), eq(null));
		assertThat(submitted.getAllValues().get(0).requests()).containsExactly(new UpscaleRequest(longestId, null),
				new UpscaleRequest("g2", "veo_3_1_upsampler_4k"));
		assertThat(submitted.getAllValues().get(0).delayMs()).isZero();
		assertThat(submitted.getAllValues().get(2).delayMsOrDefault()).isEqualTo(1500);
	}

	@Test
	void passesTheCallerAndItsIdempotencyKeyOn() throws Exception {
		this.mvc
			.perform(post(ASYNC).header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.header("Idempotency-Key", "order-42")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"requests\":[{\"sourceGenerationId\":\"g1\"}]}"))
			.andExpect(status().isAccepted());

		verify(this.submissions).submit(any(), eq(BatchSubmissions.Mode.ASYNC),
				eq(new BatchSubmissions.Idempotency(GatewayClient.API_KEY_HASH, "order-42")));
	}

	@Test
	void marksAReplayedAnswer() throws Exception {
		given(this.submissions.submit(any(), eq(BatchSubmissions.Mode.ASYNC), any()))
			.willReturn(CompletableFuture.completedFuture(new BatchSubmissions.Answer(202,
					"{\"success\":true,\"data\":{\"batchId\":\"b0\",\"total\":1}}", true)));

		submit(ASYNC, "{\"requests\":[{\"sourceGenerationId\":\"g1\"}]}").andExpect(status().isAccepted())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().string("{\"success\":true,\"data\":{\"batchId\":\"b0\",\"total\":1}}"));
	}

	@Test
	void answersASyncBatchAsynchronously() throws Exception {
		MvcResult started = submit(SYNC, "{\"requests\":[{\"sourceGenerationId\":\"g1\"}]}")
			.andExpect(request().asyncStarted())
			.andReturn();

		this.mvc.perform(asyncDispatch(started))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.complete").value(true));
	}

	@Test
	void turnsRefusalsOfTheSubmissionIntoTheEnvelope() throws Exception {
		for (HttpStatus refusal : List.of(HttpStatus.CONFLICT, HttpStatus.UNPROCESSABLE_ENTITY,
				HttpStatus.SERVICE_UNAVAILABLE)) {
			willThrow(new ApiException(refusal, "refused: " + refusal.value())).given(this.submissions)
				.submit(any(), any(), any());

			submit(ASYNC, "{\"requests\":[{\"sourceGenerationId\":\"g1\"}]}").andExpect(status().is(refusal.value()))
				.andExpect(content().json("{\"success\":false,\"error\":\"refused: " + refusal.value() + "\"}", true));
		}
	}

	@Test
	void hidesAnUnexpectedFailureBehindAPlainMessage() throws Exception {
		given(this.submissions.submit(any(), any(), any()))
			.willThrow(new IllegalStateException("connection to db-7.internal refused"));

		submit(ASYNC, "{\"requests\":[{\"sourceGenerationId\":\"g1\"}]}").andExpect(status().isInternalServerError())
			.andExpect(content().json("{\"success\":false,\"error\":\"Internal error\"}", true));
	}

	@Test
	void showsAQueuedBatchWithOnlyWhatWasRequestedPerItem() throws Exception {
		Instant requestedAt = Instant.parse("2026-05-01T10:00:00Z");
		Instant acceptedAt = Instant.parse("2026-05-01T10:00:00.020Z");
		given(this.queries.find("b1")).willReturn(Optional.of(BatchView.queued("b1", 2, 250, requestedAt, acceptedAt,
				List.of(BatchView.Item.queued(1, "g1", "veo_3_1_upsampler_4k"),
						BatchView.Item.queued(2, "g2", "veo_2_1080p_upsampler_8s")),
				"4bf92f3577b34da6a3ce929d0e0e4736")));

		this.mvc.perform(get(ASYNC + "/b1").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isOk())
			.andExpect(content().json("""
					{"success":true,"data":{"batchId":"b1","status":"queued","total":2,"successCount":0,
					"failureCount":0,"pendingCount":2,"delayMs":250,"requestedAt":"2026-05-01T10:00:00Z",
					"acceptedAt":"2026-05-01T10:00:00.020Z","items":[
					{"index":1,"sourceGenerationId":"g1","model":"veo_3_1_upsampler_4k"},
					{"index":2,"sourceGenerationId":"g2","model":"veo_2_1080p_upsampler_8s"}],
					"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}}""", true));
	}

	@Test
	void answers404ForAnUnknownBatch() throws Exception {
		this.mvc.perform(get(ASYNC + "/nope").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isNotFound())
			.andExpect(content().json("{\"success\":false,\"error\":\"Batch nope not found\"}", true));
	}

	@Test
	void refusesACallWithoutTheKey() throws Exception {
		this.mvc
			.perform(post(ASYNC).contentType(MediaType.APPLICATION_JSON)
				.content("{\"requests\":[{\"sourceGenerationId\":\"g1\"}]}"))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.success").value(false));
		verifyNoInteractions(this.submissions);
	}

	private ResultActions submit(String path, String body) throws Exception {
		return this.mvc.perform(post(path).header("Authorization", "Bearer " + GatewayClient.API_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body));
	}

}
