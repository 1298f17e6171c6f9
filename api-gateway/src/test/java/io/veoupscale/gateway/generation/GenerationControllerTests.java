package io.veoupscale.gateway.generation;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.WebSliceConfiguration;
import io.veoupscale.store.generation.Generation;
import io.veoupscale.store.generation.GenerationRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The input rules of the generation endpoints and their messages.
 */
@WebMvcTest(GenerationController.class)
@Import(WebSliceConfiguration.class)
@TestPropertySource(properties = "upscale.gateway.api-key-hashes=" + GatewayClient.API_KEY_HASH)
class GenerationControllerTests {

	private static final Generation GENERATION = new Generation("g1", "p1", "prof1", "completed", "media-1", "fp1",
			"portrait", true, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));

	@Autowired
	MockMvc mvc;

	@MockitoBean
	GenerationRepository generations;

	@Test
	void listsWithTheSeedsFilters() throws Exception {
		given(this.generations.list("completed", "p1", false, 5)).willReturn(List.of(GENERATION));

		this.mvc
			.perform(get("/api/v1/generations?status=completed&projectId=p1&hasUpscale=false&limit=5")
				.header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.success").value(true))
			.andExpect(jsonPath("$.data[0].id").value("g1"))
			.andExpect(jsonPath("$.data[0].hasUpscale").value(true));
		verify(this.generations).list("completed", "p1", false, 5);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "status=done|status must be one of pending, processing, completed, failed",
			"limit=0|limit must be greater than or equal to 1", "limit=501|limit must be less than or equal to 500",
			"limit=ten|limit must be an integer", "hasUpscale=maybe|hasUpscale must be true or false" })
	void rejectsAnInvalidListParameter(String query, String error) throws Exception {
		this.mvc.perform(get("/api/v1/generations?" + query).header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.success").value(false))
			.andExpect(jsonPath("$.error").value(error));
		verifyNoInteractions(this.generations);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"{\"profileId\":\"prof1\",\"status\":\"completed\"}|projectId must not be blank",
			"{\"projectId\":\"p1\",\"profileId\":\"prof1\",\"status\":\"done\"}|status must be one of pending, processing, completed, failed",
			"{\"projectId\":\"p1\",\"profileId\":\" \",\"status\":\"completed\"}|profileId must not be blank",
			"{\"projectId\":[1],\"profileId\":\"prof1\",\"status\":\"completed\"}|projectId must be a string",
			"{\"projectId\":\"p1\"|Request body is not valid JSON (line 1, column 18)",
			"{\"projectId\":\"p\\u0000\",\"profileId\":\"prof1\",\"status\":\"completed\"}|projectId must not contain NUL characters",
			"{\"projectId\":\"p1\",\"profileId\":\"abc\\ud800x\",\"status\":\"completed\"}|profileId must be valid Unicode text without control characters, noncharacters or U+FFFD",
			"{\"projectId\":\"p1\",\"profileId\":\"prof1\",\"status\":\"completed\",\"mediaGenerationId\":\"m\\ufffd\"}|mediaGenerationId must be valid Unicode text without control characters, noncharacters or U+FFFD",
			"{\"projectId\":\"..\",\"profileId\":\"prof1\",\"status\":\"completed\"}|projectId must not be '.' or '..'",
			"{\"projectId\":\"p1\",\"profileId\":\"prof1\",\"status\":\"completed\",\"aspectRatio\":\"vertical\"}|aspectRatio must be one of landscape, portrait, square",
			"{\"projectId\":\"p1\",\"profileId\":\"prof1\",\"status\":\"completed\",\"aspectRatio\":\"PORTRAIT\"}|aspectRatio must be one of landscape, portrait, square" })
	void rejectsAnInvalidGeneration(String body, String error) throws Exception {
		this.mvc
			.perform(put("/api/v1/generations/g1").header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(error));
	}

	@Test
	void storesAGenerationIgnoringUnknownFields() throws Exception {
		given(this.generations.save(any(), any(), any(), any(), any(), any(), any())).willReturn(true);
		given(this.generations.find("g1")).willReturn(java.util.Optional.of(GENERATION));

		this.mvc
			.perform(put("/api/v1/generations/g1").header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"projectId\":\"p1\",\"profileId\":\"prof1\",\"status\":\"completed\","
						+ "\"mediaGenerationId\":\"media-1\",\"flowProjectId\":\"fp1\",\"prompt\":\"a cat\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.data.id").value("g1"));
		verify(this.generations).save("g1", "p1", "prof1", "completed", "media-1", "fp1", "landscape");
	}

	@Test
	void storesAndShowsTheAspectRatioOfAShort() throws Exception {
		given(this.generations.save(any(), any(), any(), any(), any(), any(), any())).willReturn(false);
		given(this.generations.find("g1")).willReturn(java.util.Optional.of(GENERATION));

		this.mvc
			.perform(put("/api/v1/generations/g1").header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"projectId\":\"p1\",\"profileId\":\"prof1\",\"status\":\"completed\","
						+ "\"mediaGenerationId\":\"media-1\",\"aspectRatio\":\"portrait\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.aspectRatio").value("portrait"));
		verify(this.generations).save("g1", "p1", "prof1", "completed", "media-1", null, "portrait");
	}

	@Test
	void answers404ForAnUnknownGeneration() throws Exception {
		given(this.generations.find(any())).willReturn(java.util.Optional.empty());

		this.mvc.perform(get("/api/v1/generations/nope").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("Generation nope not found"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "a%01b|id must be valid Unicode text without control characters, noncharacters or U+FFFD",
					"%C2%85|id must be valid Unicode text without control characters, noncharacters or U+FFFD",
					"%2E%2E|id must not be '.' or '..'", "%20|id must not be blank" })
	void rejectsAPathIdThatCannotComeBackUnchanged(String encodedId, String error) throws Exception {
		this.mvc
			.perform(get(URI.create("/api/v1/generations/" + encodedId)).header("Authorization",
					"Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(error));
		verifyNoInteractions(this.generations);
	}

	@Test
	void rejectsAnOverLongId() throws Exception {
		this.mvc
			.perform(put("/api/v1/generations/" + "g".repeat(129))
				.header("Authorization", "Bearer " + GatewayClient.API_KEY)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"projectId\":\"p1\",\"profileId\":\"prof1\",\"status\":\"completed\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("id must be at most 128 characters"));
		verify(this.generations, org.mockito.Mockito.never()).save(any(), any(), any(), any(), any(), any());
	}

}
