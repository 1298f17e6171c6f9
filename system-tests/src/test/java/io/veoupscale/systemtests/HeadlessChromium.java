package io.veoupscale.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Chromium, driven headless by its chromedriver (no Selenium Manager download),
 * with a profile directory of its own; on close it leaves a screenshot of the page in
 * {@code target/<name>.png}, passed or failed, and deletes its profile.
 */
final class HeadlessChromium implements AutoCloseable {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private final String name;

	private final Path profileDirectory;

	private final ChromeDriver driver;

	private HeadlessChromium(String name, Path profileDirectory, ChromeDriver driver) {
		this.name = name;
		this.profileDirectory = profileDirectory;
		this.driver = driver;
	}

	/**
	 * Skips the calling tests where Chromium is not installed, but never on CI, which
	 * installs it.
	 */
	static void assumeInstalled() {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		assumeTrue(installed || "true".equals(System.getenv("CI")),
				"Debian's chromium and chromium-driver are not installed (CI installs them)");
	}

	/**
	 * Opens a browser window of 1280 pixels by the given height.
	 * @param name the name of its screenshot
	 */
	static HeadlessChromium open(String name, int height) throws IOException {
		System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
		Path profileDirectory = Files.createTempDirectory(name + "-chromium-");
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update",
					"--disable-sync", "--window-size=1280," + height, "--user-data-dir=" + profileDirectory);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new HeadlessChromium(name, profileDirectory, new ChromeDriver(service, options));
	}

	ChromeDriver driver() {
		return this.driver;
	}

	WebElement find(String id) {
		return this.driver.findElement(By.id(id));
	}

	/**
	 * The text of every element matching a selector, read in one script so that a render
	 * between two reads cannot leave a stale element.
	 */
	@SuppressWarnings("unchecked")
	List<String> texts(String css) {
		return (List<String>) ((JavascriptExecutor) this.driver).executeScript(
				"return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent.trim());", css);
	}

	/**
	 * The text of the first element matching a selector, which must exist.
	 */
	String text(String css) {
		List<String> texts = texts(css);
		assertThat(texts).as(css).isNotEmpty();
		return texts.get(0);
	}

	String attribute(String css, String name) {
		return (String) ((JavascriptExecutor) this.driver)
			.executeScript("return document.querySelector(arguments[0]).getAttribute(arguments[1]);", css, name);
	}

	@Override
	public void close() throws IOException {
		try {
			Path shot = this.driver.getScreenshotAs(OutputType.FILE).toPath();
			Path screenshot = Path.of("target", this.name + ".png");
			Files.createDirectories(screenshot.getParent());
			Files.copy(shot, screenshot, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			this.driver.quit();
			try (Stream<Path> paths = Files.walk(this.profileDirectory)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

}
