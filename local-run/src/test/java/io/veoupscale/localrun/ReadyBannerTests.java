package io.veoupscale.localrun;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadyBannerTests {

	private final LocalSettings settings = LocalSettings.from(Map.of("LOCAL_API_KEY", "key-1"), new SecureRandom());

	private final LocalSystem.Ready ready = new LocalSystem.Ready("http://localhost:8080", "localhost:9092", true,
			"jdbc:postgresql://localhost:40000/upscale", "http://localhost:8090", true);

	@Test
	void showsTheDashboardTheKeyAndTheStartupTime() {
		String banner = ReadyBanner.render(this.ready, this.settings, Duration.ofMillis(23_450));
		assertThat(banner).contains("http://localhost:8080/\n", "API key      key-1", "ready in 23.5 s");
	}

	@Test
	void givesACurlThatStartsABatchOfThreeDemoVideosAndOneThatWatchesEvents() {
		String banner = ReadyBanner.render(this.ready, this.settings, Duration.ofSeconds(20));
		assertThat(banner).contains("curl -s http://localhost:8080/api/v1/upscale-batches "
				+ "-H 'Authorization: Bearer key-1' -H 'Content-Type: application/json' \\\n"
				+ "      -d '{\"requests\":[{\"sourceGenerationId\":\"demo-gen-01\"},"
				+ "{\"sourceGenerationId\":\"demo-gen-02\"},{\"sourceGenerationId\":\"demo-gen-03\"}],"
				+ "\"delayMs\":1500}'");
		assertThat(banner).contains("curl -N http://localhost:8080/api/v1/events -H 'Authorization: Bearer key-1'");
	}

}
