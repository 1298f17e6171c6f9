package io.veoupscale.gateway.batch;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.veoupscale.events.BatchRequestRules;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.WebSliceConfiguration;
import io.veoupscale.store.batch.BatchControl;
import io.veoupscale.testsupport.HostileStrings;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * For any string as a batch item's {@code sourceGenerationId}, the batch endpoint either
 * answers 400 naming the field, or hands on exactly that string, and what it hands on
 * comes back unchanged from the hops to the worker (the command's JSON through Kafka's
 * UTF-8 serializers, strict UTF-8 as PostgreSQL and HTTP take it) and passes the worker's
 * own check. For any string as a {@code model}, the error quoting it is valid text.
 * Strings come from {@link HostileStrings}, a new seed every run, printed with each
 * failure.
 */
@WebMvcTest(BatchController.class)
@Import(WebSliceConfiguration.class)
@TestPropertySource(properties = "upscale.gateway.api-key-hashes=" + GatewayClient.API_KEY_HASH)
class BatchIdPropertyTests {

	/**
	 * Tries per property and run: about half of the strings hold an unpaired surrogate
	 * and nothing else the gateway refused before, so a run cannot miss that case.
	 */
	private static final int TRIES = 1000;

	private static final long SEED = HostileStrings.seed();

	private static final String TOPIC = "veo3.upscale.batch-requests";

	private static final BatchRequestRules WORKER_RULES = new BatchRequestRules(1000,
			Set.of(UpscaleRequest.DEFAULT_MODEL));

	@Autowired
	MockMvc mvc;

	@MockitoBean
	BatchSubmissions submissions;

	@MockitoBean
	BatchQueries queries;

	@MockitoBean
	BatchControl control;

	@MockitoBean
	BatchRetries retries;

	@BeforeEach
	void answer() {
		given(this.submissions.timeout(any())).willReturn(Duration.ofSeconds(5));
		given(this.submissions.submit(any(), eq(BatchSubmissions.Mode.ASYNC), any()))
			.willReturn(CompletableFuture.completedFuture(new BatchSubmissions.Answer(202,
					"{\"success\":true,\"data\":{\"batchId\":\"b1\",\"total\":1}}", false)));
	}

	static Stream<Named<String>> strings() {
		System.out.println("BatchIdPropertyTests: seed " + SEED + " (-D" + HostileStrings.SEED_PROPERTY + "=" + SEED
				+ " repeats this run)");
		return HostileStrings.sample(SEED, TRIES, 2048)
			.stream()
			.map((string) -> Named.of(HostileStrings.name(string) + " (seed " + SEED + ")", string));
	}

	@ParameterizedTest(name = "{index}: {0}")
	@MethodSource("strings")
	void handsOnAnIdExactlyOrRefusesIt(String id) throws Exception {
		MockHttpServletResponse response = submit(
				"{\"requests\":[{\"sourceGenerationId\":" + HostileStrings.json(id) + "}]}");

		JsonNode body = UpscaleJson.mapper().readTree(strictUtf8(response.getContentAsByteArray()));
		if (response.getStatus() == 400) {
			assertThat(body.get("error").asString()).startsWith("requests[0].sourceGenerationId must ");
			verifyNoInteractions(this.submissions);
			return;
		}
		assertThat(response.getStatus()).as(body.toString()).isEqualTo(202);
		ArgumentCaptor<BatchSubmission> submitted = ArgumentCaptor.forClass(BatchSubmission.class);
		verify(this.submissions).submit(submitted.capture(), eq(BatchSubmissions.Mode.ASYNC), eq(null));
		String handedOn = submitted.getValue().requests().get(0).sourceGenerationId();
		assertThat(HostileStrings.escape(handedOn)).isEqualTo(HostileStrings.escape(id));

		BatchRequested command = new BatchRequested("b1", submitted.getValue().requests(), 0, Instant.EPOCH);
		byte[] record = new StringSerializer().serialize(TOPIC, UpscaleJson.write(command));
		BatchRequested received = UpscaleJson.read(new StringDeserializer().deserialize(TOPIC, record),
				BatchRequested.class);
		assertThat(HostileStrings.escape(received.requests().get(0).sourceGenerationId()))
			.isEqualTo(HostileStrings.escape(id));
		assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(id)).as("strict UTF-8").isTrue();
		assertThat(id).doesNotContain("\u0000");
		assertThat(WORKER_RULES.problems(received)).isEmpty();
	}

	@ParameterizedTest(name = "{index}: {0}")
	@MethodSource("strings")
	void quotesARefusedModelInValidText(String model) throws Exception {
		MockHttpServletResponse response = submit(
				"{\"requests\":[{\"sourceGenerationId\":\"g1\",\"model\":" + HostileStrings.json(model) + "}]}");

		JsonNode body = UpscaleJson.mapper().readTree(strictUtf8(response.getContentAsByteArray()));
		assertThat(response.getStatus()).as(body.toString()).isIn(202, 400);
		if (response.getStatus() == 400) {
			String error = body.get("error").asString();
			assertThat(error).startsWith("requests[0].model must be one of ");
			assertThat(BatchRequestRules.idProblem(error, Integer.MAX_VALUE)).isNull();
		}
	}

	private MockHttpServletResponse submit(String body) throws Exception {
		return this.mvc
			.perform(post("/api/v1/upscale-batches").header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andReturn()
			.getResponse();
	}

	private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
		return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
	}

}
