package io.veoupscale.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The same infrastructure in containers, for machines with a Docker engine.
 */
final class ContainerInfrastructure implements Infrastructure {

	private final KafkaContainer kafka;

	private final PostgreSQLContainer postgres;

	private ContainerInfrastructure(KafkaContainer kafka, PostgreSQLContainer postgres) {
		this.kafka = kafka;
		this.postgres = postgres;
	}

	static ContainerInfrastructure start() {
		if (!DockerClientFactory.instance().isDockerAvailable()) {
			throw new IllegalStateException(
					"UPSCALE_TEST_INFRA=testcontainers needs a Docker engine, and none answers");
		}
		KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1");
		PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");
		kafka.start();
		postgres.start();
		return new ContainerInfrastructure(kafka, postgres);
	}

	@Override
	public String kafkaBootstrapServers() {
		return this.kafka.getBootstrapServers();
	}

	@Override
	public Database database() {
		return new Database(this.postgres.getJdbcUrl(), this.postgres.getUsername(), this.postgres.getPassword());
	}

	@Override
	public void stop() {
		this.kafka.stop();
		this.postgres.stop();
	}

}
