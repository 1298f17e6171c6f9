package io.veoupscale.bench;

import java.io.IOException;
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
import java.util.stream.Stream;

/**
 * A service in a JVM of its own, started from its module's executable jar as the
 * Dockerfile runs it, so that its memory and CPU are its own and can be read from
 * {@code /proc}.
 *
 * @param module the Maven module whose jar runs
 * @param process the service's process
 * @param port its HTTP port
 */
record ServiceProcess(String module, Process process, int port) implements AutoCloseable {

	/**
	 * The JVM options of the Dockerfile's {@code JAVA_TOOL_OPTIONS}; outside a container
	 * the RAM percentage applies to the host's memory.
	 */
	static final List<String> DOCKERFILE_JVM_OPTIONS = List.of("-XX:MaxRAMPercentage=75",
			"-XX:+ExitOnOutOfMemoryError");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

	/**
	 * Starts a module's executable jar on a free port and waits until its readiness (or,
	 * for the simulator, its health) answers 200.
	 * @param module the module, e.g. {@code upscale-worker}
	 * @param jvmOptions options before {@code -jar}
	 * @param properties Spring properties, passed as {@code --key=value}
	 * @return the ready service
	 */
	static ServiceProcess start(String module, List<String> jvmOptions, Map<String, ?> properties)
			throws IOException, InterruptedException {
		Path jar;
		try (Stream<Path> files = Files.list(Path.of(module, "target"))) {
			jar = files.filter((file) -> file.getFileName().toString().matches(module + "-[^-]+(-SNAPSHOT)?\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("Run from the repository root after packaging: no "
						+ module + " jar in " + module + "/target"));
		}
		int port = freePort();
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--logging.level.root=WARN"));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		Path log = Path.of("bench-" + module + "-" + port + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		ServiceProcess service = new ServiceProcess(module, process, port);
		String ready = module.equals("flow-simulator") ? "/actuator/health" : "/actuator/health/readiness";
		HttpClient http = HttpClient.newHttpClient();
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		while (Instant.now().isBefore(deadline) && process.isAlive()) {
			try {
				HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(service.url() + ready))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return service;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		process.destroyForcibly().waitFor();
		throw new IllegalStateException(module + " did not become ready; see " + log);
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * The service's base URL.
	 * @return {@code http://localhost:<port>}
	 */
	String url() {
		return "http://localhost:" + this.port;
	}

	/**
	 * The resident set size of the process, from {@code /proc/<pid>/status}.
	 * @return VmRSS in KiB
	 */
	long rssKib() throws IOException {
		return rssKib(this.process.pid());
	}

	static long rssKib(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
			}
		}
		throw new IllegalStateException("No VmRSS for process " + pid);
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

}
