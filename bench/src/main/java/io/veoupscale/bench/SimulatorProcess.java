package io.veoupscale.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Flow simulator in a JVM of its own, as Flow is elsewhere: its arrival stamps and
 * answers are not delayed by the benchmarked service's garbage collection or compilation.
 *
 * @param process the simulator's process
 * @param port its HTTP port
 */
record SimulatorProcess(Process process, int port) implements AutoCloseable {

	/**
	 * Starts the packaged simulator on a free port and waits until it listens.
	 * @param settings extra {@code --key=value} arguments
	 * @return the running simulator
	 */
	static SimulatorProcess start(String... settings) throws IOException, InterruptedException {
		Path jar;
		try (Stream<Path> files = Files.list(Path.of("flow-simulator", "target"))) {
			jar = files
				.filter((file) -> file.getFileName().toString().matches("flow-simulator-[^-]+(-SNAPSHOT)?\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(
						"Run from the repository root after packaging: no flow-simulator jar in flow-simulator/target"));
		}
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
				jar.toString(), "--server.port=" + port, "--logging.level.root=WARN"));
		command.addAll(List.of(settings));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(Path.of("bench-simulator.log").toFile())
			.start();
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (Instant.now().isBefore(deadline)) {
			try (Socket socket = new Socket("localhost", port)) {
				return new SimulatorProcess(process, port);
			}
			catch (IOException ex) {
				Thread.sleep(200);
			}
		}
		process.destroyForcibly();
		throw new IllegalStateException("The simulator did not start; see bench-simulator.log");
	}

	/**
	 * The simulator's base URL.
	 * @return {@code http://localhost:<port>}
	 */
	String url() {
		return "http://localhost:" + this.port;
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		this.process.waitFor();
	}

}
