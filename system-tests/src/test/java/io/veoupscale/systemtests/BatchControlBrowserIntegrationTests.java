package io.veoupscale.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard's batch control in a real headless Chromium against the running system:
 * the list of every batch, a batch cancelled from its row, the row turning cancelled from
 * the events, the failed items retried as a new batch, and a profile paused and resumed.
 */
class BatchControlBrowserIntegrationTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	/** The page as the test left it, passed or failed. */
	private static final Path SCREENSHOT = Path.of("target", "batch-control.png");

	private static RunningSystem system;

	private Path profileDirectory;

	private WebDriver browser;

	@BeforeAll
	static void startSystem() {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		assumeTrue(installed || "true".equals(System.getenv("CI")),
				"Debian's chromium and chromium-driver are not installed (CI installs them)");
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
		System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
		this.profileDirectory = Files.createTempDirectory("batch-control-chromium-");
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update",
					"--disable-sync", "--window-size=1280,1600", "--user-data-dir=" + this.profileDirectory);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
	}

	@AfterEach
	void closeBrowser() throws IOException {
		if (this.browser != null) {
			try {
				Path shot = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE).toPath();
				Files.createDirectories(SCREENSHOT.getParent());
				Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
			}
			finally {
				this.browser.quit();
			}
		}
		if (this.profileDirectory != null) {
			try (var paths = Files.walk(this.profileDirectory)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
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

		this.browser.get("http://localhost:" + system.gatewayPort + "/");
		find("api-key").sendKeys(RunningSystem.API_KEY);
		find("sign-in").click();
		await().atMost(Duration.ofSeconds(10)).until(() -> find("batch-control").isDisplayed());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(texts("#bc-profile option")).contains(profileId));
		new org.openqa.selenium.support.ui.Select(find("bc-profile")).selectByValue(profileId);
		find("bc-show").click();
		String row = "#bc-rows tr[data-batch-id='" + batchId + "']";
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(texts(row + " .bc-state")).containsExactly("running"));

		this.browser.findElement(By.cssSelector(row + " button.bc-cancel")).click();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(texts(row + " .bc-state")).containsExactly("cancelled"));
		assertThat(system.eventsOf(batchId).stream().filter(BatchCompleted.class::isInstance)).singleElement()
			.satisfies((completed) -> assertThat(((BatchCompleted) completed).cancelledCount()).isPositive());
		int cancelled = ((BatchCompleted) system.eventsOf(batchId)
			.stream()
			.filter(BatchCompleted.class::isInstance)
			.findFirst()
			.orElseThrow()).cancelledCount();
		assertThat(texts(row + " .bc-counts").get(0)).endsWith("(" + cancelled + " cancelled)");

		this.browser.findElement(By.cssSelector(row + " button.bc-retry")).click();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(texts(row + " .bc-retried-by")).singleElement()
				.asString()
				.startsWith("retried by "));
		String retryId = texts(row + " .bc-retried-by").get(0).substring("retried by ".length()).trim();
		String retryRow = "#bc-rows tr[data-batch-id='" + retryId + "']";
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(texts(retryRow + " .bc-retry-of")).containsExactly("retry of " + batchId));
		assertThat(texts(retryRow + " .bc-counts").get(0)).endsWith("/ " + cancelled);

		String profileRow = "#bc-profile-rows tr[data-profile-id='" + profileId + "']";
		this.browser.findElement(By.cssSelector(profileRow + " button.bc-pause-profile")).click();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(texts(profileRow + " .bc-profile-state")).containsExactly("paused"));
		assertThat(system.gateway()
			.get()
			.uri("/api/v1/profiles/" + profileId)
			.retrieve()
			.body(JsonNode.class)
			.get("data")
			.get("state")
			.asString()).isEqualTo("paused");
		this.browser.findElement(By.cssSelector(profileRow + " button.bc-resume-profile")).click();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(texts(profileRow + " .bc-profile-state")).containsExactly("active"));
	}

	private WebElement find(String id) {
		return this.browser.findElement(By.id(id));
	}

	/**
	 * The text of every element matching a selector, read in one script so that a render
	 * between two reads cannot leave a stale element.
	 */
	@SuppressWarnings("unchecked")
	private List<String> texts(String css) {
		return (List<String>) ((JavascriptExecutor) this.browser).executeScript(
				"return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent.trim());", css);
	}

}
