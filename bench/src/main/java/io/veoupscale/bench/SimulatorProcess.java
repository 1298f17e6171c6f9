package io.veoupscale.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.FlowProperties;
import io.veoupscale.flow.MediaRef;
import io.veoupscale.flow.StartedUpscale;
import io.veoupscale.flow.AspectRatio;
import io.veoupscale.flow.UpscaleStart;
import io.veoupscale.flow.internal.HttpFlowClient;
import io.veoupscale.testsupport.ServiceProcess;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The Flow simulator in a JVM of its own, as Flow is elsewhere: its arrival stamps and
 * answers are not delayed by the benchmarked service's garbage collection or compilation.
 *
 * @param service the simulator's process
 */
record SimulatorProcess(ServiceProcess service) implements AutoCloseable {

	private static final int WARM_UP_CALLS = 5000;

	/**
	 * Starts the packaged simulator on a free port, waits until it is up and warms it.
	 * @param settings extra {@code --key=value} arguments
	 * @return the running simulator
	 */
	static SimulatorProcess start(String... settings) throws InterruptedException {
		Map<String, String> properties = new LinkedHashMap<>();
		for (String setting : settings) {
			int equals = setting.indexOf('=');
			properties.put(setting.substring(2, equals), setting.substring(equals + 1));
		}
		SimulatorProcess simulator = new SimulatorProcess(
				BenchBatches.service("flow-simulator", List.of(), properties, Path.of("bench-simulator.log")));
		simulator.warmUp();
		return simulator;
	}

	int port() {
		return this.service.port();
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
		return this.service.url();
	}

	@Override
	public void close() throws InterruptedException {
		this.service.stop();
	}

}
