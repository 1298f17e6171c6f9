package io.veoupscale.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.veoupscale.testsupport.ServiceProcess;

import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;

/**
 * A standalone single-node KRaft broker (broker and controller in one) in its own JVM,
 * started from Kafka's own {@code kafka.Kafka} main class, that can be stopped and
 * started again on the same port and data directory.
 */
final class KafkaBroker implements AutoCloseable {

	private final Path directory;

	private final Path config;

	private final int port;

	private @Nullable Process process;

	private int starts;

	private KafkaBroker(Path directory, int port) {
		this.directory = directory;
		this.config = directory.resolve("server.properties");
		this.port = port;
	}

	/**
	 * Formats the storage and starts the broker.
	 * @param directory its configuration, data and log
	 * @return the running broker
	 */
	static KafkaBroker start(Path directory) throws IOException, InterruptedException {
		Files.createDirectories(directory);
		KafkaBroker broker = new KafkaBroker(directory, ServiceProcess.freePort());
		broker.writeConfig(ServiceProcess.freePort());
		broker.format();
		broker.start();
		return broker;
	}

	String bootstrapServers() {
		return "localhost:" + this.port;
	}

	/**
	 * Starts the broker process and waits until its client port answers.
	 */
	void start() throws IOException, InterruptedException {
		List<String> command = JavaProcesses.mainClass("kafka.Kafka", List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"));
		command.add(this.config.toString());
		Path log = this.directory.resolve("broker-" + (++this.starts) + ".log");
		this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The Kafka broker exited; see " + log);
			}
			try (Socket socket = new Socket("localhost", this.port)) {
				return;
			}
			catch (IOException ex) {
				Thread.sleep(200);
			}
		}
		throw new IllegalStateException("The Kafka broker did not listen within 90 s; see " + log);
	}

	/**
	 * Stops the broker as an operator would (SIGTERM, a controlled shutdown), waiting at
	 * most 60 s before killing it.
	 */
	void stop() throws InterruptedException {
		Process running = this.process;
		if (running == null) {
			return;
		}
		running.destroy();
		if (!running.waitFor(60, TimeUnit.SECONDS)) {
			running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		this.process = null;
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

	private void writeConfig(int controllerPort) throws IOException {
		List<String> lines = new ArrayList<>();
		lines.add("process.roles=broker,controller");
		lines.add("node.id=1");
		lines.add("controller.quorum.voters=1@localhost:" + controllerPort);
		lines.add("listeners=PLAINTEXT://localhost:" + this.port + ",CONTROLLER://localhost:" + controllerPort);
		lines.add("advertised.listeners=PLAINTEXT://localhost:" + this.port);
		lines.add("controller.listener.names=CONTROLLER");
		lines.add("inter.broker.listener.name=PLAINTEXT");
		lines.add("listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		lines.add("log.dirs=" + this.directory.resolve("data").toAbsolutePath());
		lines.add("auto.create.topics.enable=false");
		lines.add("num.partitions=6");
		lines.add("group.initial.rebalance.delay.ms=0");
		lines.add("offsets.topic.num.partitions=6");
		lines.add("offsets.topic.replication.factor=1");
		lines.add("transaction.state.log.num.partitions=6");
		lines.add("transaction.state.log.replication.factor=1");
		lines.add("transaction.state.log.min.isr=1");
		lines.add("share.coordinator.state.topic.replication.factor=1");
		lines.add("share.coordinator.state.topic.min.isr=1");
		Files.write(this.config, lines);
	}

	private void format() throws IOException, InterruptedException {
		List<String> command = JavaProcesses.mainClass("kafka.tools.StorageTool",
				List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
		command.addAll(List.of("format", "-t", Uuid.randomUuid().toString(), "-c", this.config.toString()));
		Path log = this.directory.resolve("format.log");
		Process format = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!format.waitFor(90, TimeUnit.SECONDS)) {
			format.destroyForcibly();
			throw new IllegalStateException("Formatting the Kafka storage took over 90 s; see " + log);
		}
		if (format.exitValue() != 0) {
			throw new IllegalStateException("Formatting the Kafka storage failed; see " + log);
		}
	}

	static void deleteQuietly(Path path) {
		try {
			if (Files.exists(path)) {
				try (var files = Files.walk(path)) {
					files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
