package io.veoupscale.testsupport;

/**
 * A running broker and database.
 */
interface Infrastructure {

	String kafkaBootstrapServers();

	Database database();

	void stop();

	static Infrastructure start() {
		String mode = System.getProperty("UPSCALE_TEST_INFRA", System.getenv("UPSCALE_TEST_INFRA"));
		if ("testcontainers".equalsIgnoreCase(mode)) {
			return ContainerInfrastructure.start();
		}
		return EmbeddedInfrastructure.start();
	}

}
