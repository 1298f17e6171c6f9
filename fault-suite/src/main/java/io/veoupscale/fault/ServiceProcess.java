package io.veoupscale.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One service running from its executable jar in a JVM of its own, as in production, and
 * what the suite does to it: wait for readiness, ask its health, kill it.
 */
final class ServiceProcess {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final int port;

	private final Process process;

	private final Path log;

	private ServiceProcess(String name, int port, Process process, Path log) {
		this.name = name;
		this.port = port;
		this.process = process;
		this.log = log;
	}

	/**
	 * Launches a service jar on a free port without waiting for it.
	 * @param module the service's module, whose {@code target} holds the jar
	 * @param name the instance name, also its log file's name
	 * @param logs where its log goes
	 * @param properties Spring properties, passed as {@code --key=value}
	 * @return the launched process
	 */
	static ServiceProcess launch(String module, String name, Path logs, Map<String, String> properties) {
		int port = JavaProcesses.freePort();
		List<String> command = new ArrayList<>(List.of(JavaProcesses.java(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
				"-XX:+UseSerialGC", "-jar", jar(module).toString(), "--server.port=" + port));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		Path log = logs.resolve(name + ".log");
		try {
			Files.createDirectories(logs);
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			return new ServiceProcess(name, port, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not launch " + name, ex);
		}
	}

	/**
	 * The executable jar of a module, from the repository root (found upwards from the
	 * working directory, or given as {@code -Dfault.root}).
	 * @param module the module
	 * @return its jar
	 */
	static Path jar(String module) {
		Path target = root().resolve(module).resolve("target");
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((file) -> file.getFileName().toString().matches(module + "-[^-]+(-SNAPSHOT)?\\.jar"))
				.findFirst()
				.orElseThrow();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException(
					"No executable jar of " + module + " in " + target + ": package the services first", ex);
		}
	}

	private static Path root() {
		String given = System.getProperty("fault.root");
		if (given != null) {
			return Path.of(given);
		}
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null) {
			if (Files.isDirectory(dir.resolve("upscale-worker")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
				return dir;
			}
			dir = dir.getParent();
		}
		throw new IllegalStateException(
				"Run from the repository (or set -Dfault.root): no upscale-worker folder found");
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
	}

	String url() {
		return "http://localhost:" + this.port;
	}

	boolean alive() {
		return this.process.isAlive();
	}

	/**
	 * Waits until the service reports itself ready.
	 * @param timeout the longest wait
	 * @return this
	 */
	ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited during start-up; see " + this.log);
			}
			if ("UP".equals(readiness())) {
				return this;
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException(this.name + " was not ready within " + timeout + "; see " + this.log);
	}

	/**
	 * Its readiness as {@code /actuator/health/readiness} answers it.
	 * @return {@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE}, or {@code unreachable}
	 */
	String readiness() {
		try {
			HttpResponse<String> response = http
				.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.ofString());
			int at = response.body().indexOf("\"status\":\"");
			if (at < 0) {
				return "HTTP " + response.statusCode();
			}
			int start = at + 10;
			return response.body().substring(start, response.body().indexOf('"', start));
		}
		catch (IOException ex) {
			return "unreachable";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unreachable";
		}
	}

	/**
	 * Kills the process with SIGKILL: no shutdown hook, no graceful stop.
	 */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/**
	 * Stops the process with SIGTERM, killing it if it takes longer than 30 s.
	 */
	void stop() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			kill();
		}
	}

	@Override
	public String toString() {
		return this.name + " (port " + this.port + ", pid " + this.process.pid() + ")";
	}

}
