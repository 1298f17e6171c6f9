package io.veoupscale.systemtests;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's batch control in a real headless Chromium against the running system:
 * the list of every batch, a batch cancelled from its row, the row turning cancelled from
 * the events, the failed items retried as a new batch, and a profile paused and resumed.
 */
class BatchControlBrowserIntegrationTests {

	private static RunningSystem system;

	private HeadlessChromium browser;

	@BeforeAll
	static void startSystem() {
		HeadlessChromium.assumeInstalled();
		system = RunningSystem.start(Map.of("flow.simulator.complete-after", "60s"));
	}

	@AfterAll
	static void stopSystem() throws InterruptedException {
		if (system != null) {
			system.close();
		}
	}

	@BeforeEach
	void openBrowser() throws IOException {
		this.browser = HeadlessChromium.open("batch-control", 1600);
	}

	@AfterEach
	void closeBrowser() throws IOException {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@Test
	void cancelsAndRetriesABatchAndPausesAProfileFromTheDashboard() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String profileId = "profile-ui-" + run;
		system.put("/api/v1/profiles/" + profileId, Map.of("name", "UI " + run, "loggedIn", true, "flowCookies", Map
			.of("sessionToken", "session-" + run, "expiresAt", Instant.now().plus(Duration.ofDays(7)).toString())));
		List<String> sources = List.of("gen-1-" + run, "gen-2-" + run, "gen-3-" + run, "gen-4-" + run);
		for (int i = 0; i < sources.size(); i++) {
			system.put("/api/v1/generations/" + sources.get(i), RunningSystem.generation("project-ui-" + run, profileId,
					"completed", "media-" + (i + 1) + "-" + run));
		}
		JsonNode accepted = system.gateway()
			.post()
			.uri("/api/v1/upscale-batches")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("requests", sources.stream().map((source) -> Map.of("sourceGenerationId", source)).toList(),
					"delayMs", 5000))
			.retrieve()
			.body(JsonNode.class);
		String batchId = accepted.get("data").get("batchId").asString();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> system.sql.sql("select success_count from batches where id = :id")
				.param("id", batchId)
				.query(Integer.class)
				.optional()
				.orElse(0) >= 1);

		this.browser.driver().get("http://localhost:" + system.gatewayPort + "/");
		this.browser.find("api-key").sendKeys(RunningSystem.API_KEY);
		this.browser.find("sign-in").click();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.browser.find("batch-control").isDisplayed());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.browser.texts("#bc-profile option")).contains(profileId));
		new org.openqa.selenium.support.ui.Select(this.browser.find("bc-profile")).selectByValue(profileId);
		this.browser.find("bc-show").click();
		String row = "#bc-rows tr[data-batch-id='" + batchId + "']";
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.browser.texts(row + " .bc-state")).containsExactly("running"));

		this.browser.driver().findElement(By.cssSelector(row + " button.bc-cancel")).click();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.browser.texts(row + " .bc-state")).containsExactly("cancelled"));
		assertThat(system.eventsOf(batchId).stream().filter(BatchCompleted.class::isInstance)).singleElement()
			.satisfies((completed) -> assertThat(((BatchCompleted) completed).cancelledCount()).isPositive());
		int cancelled = ((BatchCompleted) system.eventsOf(batchId)
			.stream()
			.filter(BatchCompleted.class::isInstance)
			.findFirst()
			.orElseThrow()).cancelledCount();
		assertThat(this.browser.texts(row + " .bc-counts").get(0)).endsWith("(" + cancelled + " cancelled)");

		this.browser.driver().findElement(By.cssSelector(row + " button.bc-retry")).click();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.browser.texts(row + " .bc-retried-by")).singleElement()
				.asString()
				.startsWith("retried by "));
		String retryId = this.browser.texts(row + " .bc-retried-by").get(0).substring("retried by ".length()).trim();
		String retryRow = "#bc-rows tr[data-batch-id='" + retryId + "']";
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.browser.texts(retryRow + " .bc-retry-of"))
				.containsExactly("retry of " + batchId));
		assertThat(this.browser.texts(retryRow + " .bc-counts").get(0)).endsWith("/ " + cancelled);

		String profileRow = "#bc-profile-rows tr[data-profile-id='" + profileId + "']";
		this.browser.driver().findElement(By.cssSelector(profileRow + " button.bc-pause-profile")).click();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(this.browser.texts(profileRow + " .bc-profile-state")).containsExactly("paused"));
		assertThat(system.gateway()
			.get()
			.uri("/api/v1/profiles/" + profileId)
			.retrieve()
			.body(JsonNode.class)
			.get("data")
			.get("state")
			.asString()).isEqualTo("paused");
		this.browser.driver().findElement(By.cssSelector(profileRow + " button.bc-resume-profile")).click();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(this.browser.texts(profileRow + " .bc-profile-state")).containsExactly("active"));
	}

}
