package io.veoupscale.systemtests;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium against the running system: signing in,
 * picking source videos, a batch's live progress, a page refresh in the middle of it, and
 * an upscale turning completed with its video link.
 */
class DashboardBrowserIntegrationTests {

	private static RunningSystem system;

	private HeadlessChromium browser;

	@BeforeAll
	static void startSystem() {
		HeadlessChromium.assumeInstalled();
		system = RunningSystem.start();
	}

	@AfterAll
	static void stopSystem() throws InterruptedException {
		if (system != null) {
			system.close();
		}
	}

	@BeforeEach
	void openBrowser() throws IOException {
		this.browser = HeadlessChromium.open("dashboard", 1400);
	}

	@AfterEach
	void closeBrowser() throws IOException {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@Test
	void followsABatchLiveThroughAPageRefreshToACompletedUpscale() throws IOException {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String projectId = "project-ui-" + run;
		String profileId = "profile-" + run;
		String oldest = "gen-a-" + run;
		String pending = "gen-b-" + run;
		String newest = "gen-c-" + run;
		system.put("/api/v1/profiles/" + profileId, Map.of("name", "UI", "loggedIn", true, "flowCookies", Map
			.of("sessionToken", "session-" + run, "expiresAt", Instant.now().plus(Duration.ofDays(7)).toString())));
		system.put("/api/v1/generations/" + oldest,
				RunningSystem.generation(projectId, profileId, "completed", "media-a-" + run));
		system.put("/api/v1/generations/" + pending, RunningSystem.generation(projectId, profileId, "pending", null));
		system.put("/api/v1/generations/" + newest,
				RunningSystem.generation(projectId, profileId, "completed", "media-c-" + run));
		system.put("/api/v1/generations/gen-other-" + run,
				RunningSystem.generation("other-" + projectId, profileId, "completed", "media-o-" + run));

		this.browser.driver().get("http://localhost:" + system.gatewayPort + "/");
		this.browser.find("api-key").sendKeys(RunningSystem.API_KEY);
		this.browser.find("sign-in").click();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.browser.find("app").isDisplayed());
		this.browser.find("project").sendKeys(projectId);
		new Select(this.browser.find("status")).selectByValue("");
		this.browser.find("without-upscale").click();
		this.browser.find("apply-filter").click();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.browser.texts("#generation-rows tr td:nth-child(2)"))
				.containsExactlyInAnyOrder(oldest, pending, newest));
		// Newest first: the batch's items follow the list, so the refused source is item
		// 2 of 3.
		List<String> order = this.browser.texts("#generation-rows tr td:nth-child(2)");
		assertThat(order).containsExactly(newest, pending, oldest);
		for (String id : order) {
			this.browser.driver().findElement(By.cssSelector("#generation-rows input[value='" + id + "']")).click();
		}
		assertThat(this.browser.find("selected-count").getText()).isEqualTo("3");
		this.browser.find("delay").clear();
		this.browser.find("delay").sendKeys("8000");
		this.browser.find("start-selected").click();

		String refused = "[2/3] " + pending + ": Source video must be completed before upscaling";
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.browser.texts(".batch .lines li")).contains(refused));
		String batchId = this.browser.attribute(".batch", "data-batch-id");
		List<String> beforeRefresh = this.browser.texts(".batch .lines li");
		assertThat(beforeRefresh).hasSize(2);
		assertThat(beforeRefresh.get(0)).matches("\\[1/3\\] " + newest + ": \\S+");
		assertThat(this.browser.text(".batch .progress-text")).isEqualTo("2/3");

		this.browser.driver().navigate().refresh();
		assertThat(this.browser.driver().getCurrentUrl()).doesNotContain(RunningSystem.API_KEY);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.browser.texts(".batch .lines li"))
				.startsWith(beforeRefresh.toArray(String[]::new)));
		assertThat(this.browser.attribute(".batch", "data-batch-id")).isEqualTo(batchId);
		assertThat(system.sql.sql("select status from batches where id = :id")
			.param("id", batchId)
			.query(String.class)
			.single()).as("the refresh happened mid-batch").isNotEqualTo("completed");

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.browser.text(".batch .progress-text")).isEqualTo("3/3"));
		List<String> lines = this.browser.texts(".batch .lines li");
		assertThat(lines).hasSize(3);
		assertThat(lines.get(0)).isEqualTo(beforeRefresh.get(0));
		assertThat(lines.get(1)).isEqualTo(refused);
		assertThat(lines.get(2)).matches("\\[3/3\\] " + oldest + ": \\S+");
		assertThat(this.browser.texts(".batch .lines li.failed")).containsExactly(lines.get(1));
		assertThat(this.browser.texts(".batch .items td.upscale-status").get(2)).as("the last upscale, just started")
			.isIn("pending", "processing");

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(this.browser.texts(".batch .items td.upscale-status")).contains("completed"));
		assertThat(this.browser.attribute(".batch .items a.video", "href")).startsWith("http");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.browser.texts(".batch .items td.upscale-status"))
				.containsExactly("completed", "not started", "completed"));
		assertThat(this.browser.text(".batch .batch-status")).isEqualTo("completed");
	}

}
