package io.veoupscale.simulator;

import java.net.http.HttpClient;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

class FlowSimulatorApplicationTests {

	@Test
	void defaultsToPort8090AndTheDocumentedTimings() {
		try (ConfigurableApplicationContext context = FlowSimulatorApplication.builder()
			.web(WebApplicationType.NONE)
			.run()) {
			SimulatorProperties properties = context.getBean(SimulatorProperties.class);
			assertThat(context.getEnvironment().getProperty("server.port")).isEqualTo("8090");
			assertThat(context.getEnvironment().getProperty("spring.application.name")).isEqualTo("flow-simulator");
			assertThat(properties.pendingFor()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.completeAfter()).isEqualTo(Duration.ofSeconds(8));
			assertThat(properties.mediaUrlDelay()).isEqualTo(Duration.ZERO);
			assertThat(properties.tokenLifetime()).isEqualTo(Duration.ofHours(1));
			assertThat(properties.startResponse()).isEqualTo(SimulatorProperties.StartResponse.OPERATIONS);
			assertThat(properties.publicBaseUrl()).isNull();
			assertThat(properties.expiredSessionTokens()).isEmpty();
			assertThat(properties.mediaUrlLifetime()).isEqualTo(Duration.ofHours(6));
			assertThat(properties.deprecatedModels()).containsExactly("veo_2_1080p_upsampler_8s");
			assertThat(properties.defaultTier()).isEqualTo("PAYGATE_TIER_TWO");
			assertThat(properties.defaultCredits()).isEqualTo(240);
		}
	}

	@Test
	void propertiesPassedToTheBuilderOverrideTheDefaults() {
		try (ConfigurableApplicationContext context = FlowSimulatorApplication.builder()
			.properties("server.port=0", "flow.simulator.complete-after=2s",
					"flow.simulator.expired-session-tokens=dead-1,dead-2")
			.run()) {
			SimulatorProperties properties = context.getBean(SimulatorProperties.class);
			assertThat(context.getEnvironment().getProperty("local.server.port")).isNotIn("0", "8090");
			assertThat(properties.completeAfter()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.pendingFor()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.expiredSessionTokens()).containsExactly("dead-1", "dead-2");
		}
	}

	@Test
	void startAnswersWithTheMediaShapeWhenConfigured() {
		SpringApplicationBuilder builder = FlowSimulatorApplication.builder()
			.properties("server.port=0", "flow.simulator.start-response=media");
		try (ConfigurableApplicationContext context = builder.run()) {
			RestClient http = RestClient.builder()
				.baseUrl("http://localhost:" + context.getEnvironment().getProperty("local.server.port"))
				.requestFactory(new JdkClientHttpRequestFactory(HttpClient.newHttpClient()))
				.build();
			String token = http.get()
				.uri("/fx/api/auth/session")
				.header(HttpHeaders.COOKIE, "__Secure-next-auth.session-token=media-session")
				.retrieve()
				.body(JsonNode.class)
				.path("access_token")
				.asString();

			JsonNode response = http.post()
				.uri("/v1/video:batchAsyncGenerateVideoUpsampleVideo")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.contentType(MediaType.APPLICATION_JSON)
				.body("""
						{"clientContext": {"projectId": "project-1"},
						 "requests": [{"aspectRatio": "VIDEO_ASPECT_RATIO_LANDSCAPE", "videoInput": {"mediaId": "source"},
						               "videoModelKey": "veo_3_1_upsampler_1080p", "metadata": {"sceneId": "scene-1"}}],
						 "useV2ModelConfig": true}
						""")
				.retrieve()
				.body(JsonNode.class);

			String name = response.at("/media/0/name").asString();
			assertThat(name).isEqualTo("source_upsampled");
			assertThat(response.at("/media/0/mediaMetadata/mediaStatus/mediaGenerationStatus").asString())
				.isEqualTo("MEDIA_GENERATION_STATUS_PENDING");
			assertThat(response.at("/workflows/0/metadata/primaryMediaId").asString()).isEqualTo(name);
			assertThat(response.at("/workflows/0/name").asString()).isNotBlank();
			assertThat(response.path("remainingCredits").asInt()).isEqualTo(240);
		}
	}

}
