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
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real headless Chromium against the running system: signing in,
 * picking source videos, a batch's live progress, a page refresh in the middle of it, and
 * an upscale turning completed with its video link.
 */
class DashboardBrowserIntegrationTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	/** The page as the test left it, passed or failed. */
	private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

	private static RunningSystem system;

	private Path profileDirectory;

	private WebDriver browser;

	@BeforeAll
	static void startSystem() {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		assumeTrue(installed || "true".equals(System.getenv("CI")),
				"Debian's chromium and chromium-driver are not installed (CI installs them)");
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
		// The local driver and browser only: no Selenium Manager download.
		System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
		this.profileDirectory = Files.createTempDirectory("dashboard-chromium-");
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update",
					"--disable-sync", "--window-size=1280,1400", "--user-data-dir=" + this.profileDirectory);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
	}

	@AfterEach
	void closeBrowser() throws IOException {
		if (this.browser != null) {
			try {
				screenshot();
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

		this.browser.get("http://localhost:" + system.gatewayPort + "/");
		find("api-key").sendKeys(RunningSystem.API_KEY);
		find("sign-in").click();
		await().atMost(Duration.ofSeconds(10)).until(() -> find("app").isDisplayed());
		find("project").sendKeys(projectId);
		new Select(find("status")).selectByValue("");
		find("without-upscale").click();
		find("apply-filter").click();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(texts("#generation-rows tr td:nth-child(2)"))
				.containsExactlyInAnyOrder(oldest, pending, newest));
		// Newest first: the batch's items follow the list, so the refused source is item
		// 2 of 3.
		List<String> order = texts("#generation-rows tr td:nth-child(2)");
		assertThat(order).containsExactly(newest, pending, oldest);
		for (String id : order) {
			this.browser.findElement(By.cssSelector("#generation-rows input[value='" + id + "']")).click();
		}
		assertThat(find("selected-count").getText()).isEqualTo("3");
		find("delay").clear();
		find("delay").sendKeys("8000");
		find("start-selected").click();

		String refused = "[2/3] " + pending + ": Source video must be completed before upscaling";
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(texts(".batch .lines li")).contains(refused));
		String batchId = attribute(".batch", "data-batch-id");
		List<String> beforeRefresh = texts(".batch .lines li");
		assertThat(beforeRefresh).hasSize(2);
		assertThat(beforeRefresh.get(0)).matches("\\[1/3\\] " + newest + ": \\S+");
		assertThat(text(".batch .progress-text")).isEqualTo("2/3");

		this.browser.navigate().refresh();
		assertThat(this.browser.getCurrentUrl()).doesNotContain(RunningSystem.API_KEY);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(texts(".batch .lines li")).startsWith(beforeRefresh.toArray(String[]::new)));
		assertThat(attribute(".batch", "data-batch-id")).isEqualTo(batchId);
		assertThat(system.sql.sql("select status from batches where id = :id")
			.param("id", batchId)
			.query(String.class)
			.single()).as("the refresh happened mid-batch").isNotEqualTo("completed");

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(text(".batch .progress-text")).isEqualTo("3/3"));
		List<String> lines = texts(".batch .lines li");
		assertThat(lines).hasSize(3);
		assertThat(lines.get(0)).isEqualTo(beforeRefresh.get(0));
		assertThat(lines.get(1)).isEqualTo(refused);
		assertThat(lines.get(2)).matches("\\[3/3\\] " + oldest + ": \\S+");
		assertThat(texts(".batch .lines li.failed")).containsExactly(lines.get(1));
		assertThat(texts(".batch .items td.upscale-status").get(2)).as("the last upscale, just started")
			.isIn("pending", "processing");

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(texts(".batch .items td.upscale-status")).contains("completed"));
		assertThat(attribute(".batch .items a.video", "href")).startsWith("http");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(texts(".batch .items td.upscale-status")).containsExactly("completed",
					"not started", "completed"));
		assertThat(text(".batch .batch-status")).isEqualTo("completed");
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

	private String attribute(String css, String name) {
		return (String) ((JavascriptExecutor) this.browser)
			.executeScript("return document.querySelector(arguments[0]).getAttribute(arguments[1]);", css, name);
	}

	private String text(String css) {
		List<String> texts = texts(css);
		assertThat(texts).as(css).isNotEmpty();
		return texts.get(0);
	}

	private void screenshot() throws IOException {
		Path shot = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE).toPath();
		Files.createDirectories(SCREENSHOT.getParent());
		Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
	}

}
