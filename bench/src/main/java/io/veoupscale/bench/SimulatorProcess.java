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
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.FlowProperties;
import io.veoupscale.flow.MediaRef;
import io.veoupscale.flow.StartedUpscale;
import io.veoupscale.flow.AspectRatio;
import io.veoupscale.flow.UpscaleStart;
import io.veoupscale.flow.internal.HttpFlowClient;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The Flow simulator in a JVM of its own, as Flow is elsewhere: its arrival stamps and
 * answers are not delayed by the benchmarked service's garbage collection or compilation.
 *
 * @param process the simulator's process
 * @param port its HTTP port
 */
record SimulatorProcess(Process process, int port) implements AutoCloseable {

	private static final int WARM_UP_CALLS = 5000;

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
				SimulatorProcess simulator = new SimulatorProcess(process, port);
				simulator.warmUp();
				return simulator;
			}
			catch (IOException ex) {
				Thread.sleep(200);
			}
		}
		process.destroyForcibly();
		throw new IllegalStateException("The simulator did not start; see bench-simulator.log");
	}

	/**
	 * Runs the start and status calls 5,000 times each on an account of its own, so that
	 * the simulator answers as a long-running service does, compiled rather than
	 * interpreted: a fresh JVM answers a start in 10 to 20 ms, a warm one in 1 to 3.
	 */
	private void warmUp() {
		FlowProperties properties = new Binder(new MapConfigurationPropertySource(
				Map.of("flow.api-base-url", url(), "flow.labs-base-url", url() + "/fx")))
			.bindOrCreate("flow", FlowProperties.class);
		FlowClient flow = HttpFlowClient.create(properties, RestClient.builder(), new SimpleMeterRegistry());
		String session = "bench-warm-up";
		for (int i = 0; i < WARM_UP_CALLS; i++) {
			String scene = UUID.randomUUID().toString();
			StartedUpscale started = flow.startUpscale(session, new UpscaleStart(scene, "warm-up-" + i,
					"veo_3_1_upsampler_1080p", "warm-up", AspectRatio.LANDSCAPE, null));
			flow.checkStatus(session, List.of(new MediaRef(started.operationName(), "warm-up", scene)));
		}
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
