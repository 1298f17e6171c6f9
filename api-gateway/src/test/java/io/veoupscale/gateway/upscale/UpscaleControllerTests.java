package io.veoupscale.gateway.upscale;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import io.veoupscale.flow.FlowClient;
import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.WebSliceConfiguration;
import io.veoupscale.store.profile.ProfileRepository;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The upscale endpoints: the model key sent, and video links that are renewed rather than
 * handed out expired.
 */
@WebMvcTest(UpscaleController.class)
@Import(WebSliceConfiguration.class)
@TestPropertySource(properties = "upscale.gateway.api-key-hashes=" + GatewayClient.API_KEY_HASH)
class UpscaleControllerTests {

	private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	private static final UpscaleView COMPLETED = new UpscaleView("u1", "b1", 1, "g1", "prof1",
			"veo_2_1080p_upsampler_8s", "veo_3_1_upsampler_1080p", "scene-1", "media-1_upsampled", "completed", null,
			null, NOW, NOW, NOW);

	private static final VideoLinks.StoredVideo OLD_VIDEO = new VideoLinks.StoredVideo("u1", "prof1",
			"media-1_upsampled", "https://v.test/old.mp4?Expires=1", NOW.minus(Duration.ofHours(7)));

	@Autowired
	MockMvc mvc;

	@MockitoBean
	UpscaleQueries upscales;

	@MockitoBean
	VideoLinks links;

	@Test
	void showsTheModelRequestedAndTheKeySentAndAFreshLink() throws Exception {
		given(this.upscales.find("u1")).willReturn(Optional.of(new UpscaleQueries.StoredUpscale(COMPLETED, OLD_VIDEO)));
		given(this.links.fresh(OLD_VIDEO)).willReturn(Optional.of("https://v.test/fresh.mp4"));

		this.mvc.perform(get("/api/v1/upscales/u1").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.model").value("veo_2_1080p_upsampler_8s"))
			.andExpect(jsonPath("$.data.modelKey").value("veo_3_1_upsampler_1080p"))
			.andExpect(jsonPath("$.data.videoUrl").value("https://v.test/fresh.mp4"));
	}

	@Test
	void leavesOutALinkFlowDidNotRenew() throws Exception {
		given(this.upscales.find("u1")).willReturn(Optional.of(new UpscaleQueries.StoredUpscale(COMPLETED, OLD_VIDEO)));
		given(this.links.fresh(OLD_VIDEO)).willReturn(Optional.empty());

		this.mvc.perform(get("/api/v1/upscales/u1").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.status").value("completed"))
			.andExpect(jsonPath("$.data.videoUrl").doesNotExist());
		this.mvc.perform(get("/api/v1/upscales/u1/video").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.success").value(false))
			.andExpect(jsonPath("$.error")
				.value("The video link of upscale u1 expired and Flow did not hand out a fresh one; try again later"));
	}

	@Test
	void redirectsToTheVideoThroughAFreshLink() throws Exception {
		given(this.upscales.find("u1")).willReturn(Optional.of(new UpscaleQueries.StoredUpscale(COMPLETED, OLD_VIDEO)));
		given(this.links.fresh(OLD_VIDEO)).willReturn(Optional.of("https://v.test/fresh.mp4?Expires=9"));

		this.mvc.perform(get("/api/v1/upscales/u1/video").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isFound())
			.andExpect(header().string("Location", "https://v.test/fresh.mp4?Expires=9"))
			.andExpect(jsonPath("$.data.videoUrl").value("https://v.test/fresh.mp4?Expires=9"));
	}

	@Test
	void refusesTheVideoOfAnUpscaleThatHasNoneAndOfOneThatDoesNotExist() throws Exception {
		UpscaleView running = new UpscaleView("u2", "b1", 2, "g2", "prof1", "veo_3_1_upsampler_4k",
				"veo_3_1_upsampler_4k", "scene-2", "media-2_upsampled", "processing", null, null, NOW, NOW, null);
		given(this.upscales.find("u2")).willReturn(Optional.of(new UpscaleQueries.StoredUpscale(running, null)));
		given(this.upscales.find("u3")).willReturn(Optional.empty());

		this.mvc.perform(get("/api/v1/upscales/u2/video").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error").value("Upscale u2 has no video (status: processing)"));
		this.mvc.perform(get("/api/v1/upscales/u3/video").header("Authorization", "Bearer " + GatewayClient.API_KEY))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("Upscale u3 not found"));
		verifyNoInteractions(this.links);
	}

	@Test
	void aLinkIsRenewedOnceItReachesTheMaximumAgeOrWhenItsAgeIsUnknown() {
		VideoLinks links = new VideoLinks(mock(FlowClient.class), mock(ProfileRepository.class), mock(JdbcClient.class),
				new VideoLinkProperties(Duration.ofHours(1)), Clock.fixed(NOW, ZoneOffset.UTC));

		assertThat(links.isStale(NOW.minus(Duration.ofMinutes(59)), NOW)).isFalse();
		assertThat(links.isStale(NOW.minus(Duration.ofHours(1)), NOW)).isTrue();
		assertThat(links.isStale(null, NOW)).isTrue();
	}

}
