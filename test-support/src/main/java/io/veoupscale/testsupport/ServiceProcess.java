package io.veoupscale.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
 * One service running from its module's executable jar in a JVM of its own, as in
 * production, for tests that kill it, benchmarks that measure it and the fault suite:
 * launch it, wait for its readiness, read it, kill or stop it.
 */
public final class ServiceProcess implements AutoCloseable {

	/**
	 * The JVM options of the Dockerfile's {@code JAVA_TOOL_OPTIONS}; outside a container
	 * the RAM percentage applies to the host's memory.
	 */
	public static final List<String> DOCKERFILE_JVM_OPTIONS = List.of("-XX:MaxRAMPercentage=75",
			"-XX:+ExitOnOutOfMemoryError");

	/**
	 * Small, quickly started JVMs for tests that run several services at once.
	 */
	public static final List<String> TEST_JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
			"-XX:+UseSerialGC");

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final String module;

	private final int port;

	private final Process process;

	private final Path log;

	private ServiceProcess(String name, String module, int port, Process process, Path log) {
		this.name = name;
		this.module = module;
		this.port = port;
		this.process = process;
		this.log = log;
	}

	/**
	 * Launches a module's executable jar on a free port without waiting for it.
	 * @param module the service's module, whose {@code target} holds the jar
	 * @param name the instance name, for messages
	 * @param jvmOptions options before {@code -jar}
	 * @param properties Spring properties, passed as {@code --key=value}
	 * @param log the file its output is appended to
	 * @return the launched process
	 */
	public static ServiceProcess launch(String module, String name, List<String> jvmOptions, Map<String, ?> properties,
			Path log) {
		int port = freePort();
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar(module).toString(), "--server.port=" + port));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		try {
			Files.createDirectories(log.toAbsolutePath().getParent());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			return new ServiceProcess(name, module, port, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not launch " + name, ex);
		}
	}

	/**
	 * The executable jar of a module, in the repository this process runs in (found from
	 * the working directory up, or given as {@code -Dveoupscale.root}).
	 * @param module the module
	 * @return its jar
	 */
	public static Path jar(String module) {
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
		String given = System.getProperty("veoupscale.root");
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
				"Run from the repository (or set -Dveoupscale.root): no upscale-worker folder found");
	}

	/**
	 * A port nobody listens on right now.
	 * @return the port
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String name() {
		return this.name;
	}

	public int port() {
		return this.port;
	}

	public String url() {
		return "http://localhost:" + this.port;
	}

	public Process process() {
		return this.process;
	}

	public Path log() {
		return this.log;
	}

	public boolean alive() {
		return this.process.isAlive();
	}

	/**
	 * Waits until the service reports itself ready.
	 * @param timeout the longest wait
	 * @return this
	 * @throws IllegalStateException if it exited or was not ready in time
	 */
	public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
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
	 * Its readiness as {@code /actuator/health/readiness} answers it (the simulator,
	 * which has no readiness group, its {@code /actuator/health}).
	 * @return {@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE}, or {@code unreachable}
	 */
	public String readiness() {
		String path = this.module.equals("flow-simulator") ? "/actuator/health" : "/actuator/health/readiness";
		try {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.ofString());
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
	 * The resident set size of the process, from {@code /proc/<pid>/status}.
	 * @return VmRSS in KiB
	 */
	public long rssKib() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.process.pid()), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
			}
		}
		throw new IllegalStateException("No VmRSS for process " + this.process.pid());
	}

	/**
	 * Kills the process with SIGKILL: no shutdown hook, no graceful stop.
	 */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/**
	 * Stops the process with SIGTERM, killing it if it takes longer than 30 s.
	 */
	public void stop() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			kill();
		}
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

	@Override
	public String toString() {
		return this.name + " (port " + this.port + ", pid " + this.process.pid() + ")";
	}

}
