package io.veoupscale.gateway.generation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import io.veoupscale.events.UpscaleJson;
import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.WebSliceConfiguration;
import io.veoupscale.store.generation.Generation;
import io.veoupscale.store.generation.GenerationRepository;
import io.veoupscale.testsupport.HostileStrings;
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
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * For any string as the ids a generation's body holds, or as the project filter of the
 * list, the endpoint either answers 400 naming the field, or stores (or looks up) exactly
 * that string. Strings come from {@link HostileStrings}, a new seed every run, printed
 * with each failure.
 */
@WebMvcTest(GenerationController.class)
@Import(WebSliceConfiguration.class)
@TestPropertySource(properties = "upscale.gateway.api-key-hashes=" + GatewayClient.API_KEY_HASH)
class GenerationIdPropertyTests {

	private static final int TRIES = 500;

	private static final long SEED = HostileStrings.seed();

	@Autowired
	MockMvc mvc;

	@MockitoBean
	GenerationRepository generations;

	static Stream<Named<String>> strings() {
		System.out.println("GenerationIdPropertyTests: seed " + SEED + " (-D" + HostileStrings.SEED_PROPERTY + "="
				+ SEED + " repeats this run)");
		return HostileStrings.sample(SEED, TRIES, 600)
			.stream()
			.map((string) -> Named.of(HostileStrings.name(string) + " (seed " + SEED + ")", string));
	}

	@ParameterizedTest(name = "{index}: {0}")
	@MethodSource("strings")
	void storesTheIdsOfABodyExactlyOrRefusesThem(String id) throws Exception {
		given(this.generations.find("g1")).willReturn(Optional
			.of(new Generation("g1", id, id, "completed", id, id, "landscape", false, Instant.EPOCH, Instant.EPOCH)));
		MockHttpServletResponse response = this.mvc
			.perform(put("/api/v1/generations/g1").header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"projectId\":" + HostileStrings.json(id) + ",\"profileId\":" + HostileStrings.json(id)
						+ ",\"status\":\"completed\",\"mediaGenerationId\":" + HostileStrings.json(id)
						+ ",\"flowProjectId\":" + HostileStrings.json(id) + "}"))
			.andReturn()
			.getResponse();

		JsonNode body = UpscaleJson.mapper()
			.readTree(StandardCharsets.UTF_8.newDecoder()
				.decode(ByteBuffer.wrap(response.getContentAsByteArray()))
				.toString());
		if (response.getStatus() == 400) {
			assertThat(body.get("error").asString())
				.matches("((projectId|profileId|mediaGenerationId|flowProjectId) must [^;]+(; )?)+");
			verifyNoInteractions(this.generations);
			return;
		}
		assertThat(response.getStatus()).as(body.toString()).isIn(200, 201);
		ArgumentCaptor<String> stored = ArgumentCaptor.forClass(String.class);
		verify(this.generations).save(anyString(), stored.capture(), stored.capture(), anyString(), stored.capture(),
				stored.capture(), eq("landscape"));
		assertThat(stored.getAllValues())
			.allSatisfy((value) -> assertThat(HostileStrings.escape(value)).isEqualTo(HostileStrings.escape(id)));
	}

	@ParameterizedTest(name = "{index}: {0}")
	@MethodSource("strings")
	void filtersByExactlyTheProjectOrRefusesIt(String projectId) throws Exception {
		MockHttpServletResponse response = this.mvc
			.perform(get("/api/v1/generations").header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.param("projectId", projectId))
			.andReturn()
			.getResponse();

		if (response.getStatus() == 400) {
			assertThat(UpscaleJson.mapper().readTree(response.getContentAsString()).get("error").asString())
				.startsWith("projectId must ");
			verifyNoInteractions(this.generations);
			return;
		}
		assertThat(response.getStatus()).isEqualTo(200);
		ArgumentCaptor<String> filter = ArgumentCaptor.forClass(String.class);
		verify(this.generations).list(any(), filter.capture(), any(), anyInt());
		assertThat(HostileStrings.escape(filter.getValue())).isEqualTo(HostileStrings.escape(projectId));
		assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(projectId)).isTrue();
	}

}
