package io.veoupscale.localrun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker (controller and broker in one) running in this JVM,
 * with a listener on a fixed port that clients outside the process can use too.
 * <p>
 * Built on Kafka's own test kit, which spring-kafka-test's
 * {@code EmbeddedKafkaKraftBroker} wraps, because that wrapper ignores
 * {@code kafkaPorts(..)} in KRaft mode and keeps its data in a directory that a JVM
 * shutdown hook of its own deletes while the broker may still be writing. So the kit's
 * listener stays on a random port, a second listener named {@code PLAINTEXT} takes the
 * fixed one, and the data directory is ours, deleted by {@link #close()}.
 */
final class LocalKafka implements AutoCloseable {

	private final KafkaClusterTestKit cluster;

	private final String bootstrapServers;

	private LocalKafka(KafkaClusterTestKit cluster, String bootstrapServers) {
		this.cluster = cluster;
		this.bootstrapServers = bootstrapServers;
	}

	/**
	 * Starts the broker; topics are left to the services, which create what they need.
	 * @param port the port of the listener for clients
	 * @param directory where the broker keeps its data, deleted on close
	 * @return the running broker
	 */
	static LocalKafka start(int port, Path directory) {
		KafkaClusterTestKit cluster;
		try {
			Files.createDirectories(directory);
			TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true)
				.setBootstrapMetadataVersion(MetadataVersion.latestProduction())
				.setNumBrokerNodes(1)
				.setNumControllerNodes(1)
				.setBaseDirectory(directory)
				.build();
			KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
			brokerConfig(port).forEach(builder::setConfigProp);
			cluster = builder.build();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not set up the embedded Kafka broker", ex);
		}
		try {
			cluster.format();
			cluster.startup();
			cluster.waitForReadyBrokers();
		}
		catch (Exception ex) {
			close(cluster);
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IllegalStateException("The embedded Kafka broker did not start", ex);
		}
		return new LocalKafka(cluster, "localhost:" + port);
	}

	/**
	 * The broker's configuration beyond the test kit's: the fixed listener, production
	 * (not unstable) protocol versions, and one replica of everything.
	 * @param port the port of the listener for clients
	 * @return broker properties
	 */
	static Map<String, String> brokerConfig(int port) {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("listeners", "EXTERNAL://localhost:0,PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:0");
		config.put("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		config.put("unstable.api.versions.enable", "false");
		config.put("unstable.feature.versions.enable", "false");
		config.put("auto.create.topics.enable", "false");
		config.put("num.partitions", "6");
		config.put("group.initial.rebalance.delay.ms", "0");
		config.put("offsets.topic.num.partitions", "6");
		config.put("offsets.topic.replication.factor", "1");
		config.put("transaction.state.log.num.partitions", "6");
		config.put("transaction.state.log.replication.factor", "1");
		config.put("transaction.state.log.min.isr", "1");
		return config;
	}

	String bootstrapServers() {
		return this.bootstrapServers;
	}

	@Override
	public void close() {
		// The services are gone by now; the broker's own clients warn about each other as
		// they shut down, which is noise here.
		if (LoggerFactory.getLogger(NetworkClient.class) instanceof Logger logger) {
			logger.setLevel(Level.ERROR);
		}
		close(this.cluster);
	}

	@Override
	public String toString() {
		return "Kafka at " + this.bootstrapServers;
	}

	private static void close(KafkaClusterTestKit cluster) {
		try {
			cluster.close();
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IllegalStateException("The embedded Kafka broker did not stop cleanly", ex);
		}
	}

}
