package io.veoupscale.simulator;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Starts the simulator on its own configuration file so it can share a classpath with the
 * services it stands in for.
 */
// Tests and the local launcher run the simulator on classpaths that hold the services'
// JDBC,
// Flyway and Kafka support; the simulator itself uses none of them.
@SpringBootApplication(excludeName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
		"org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration" })
public class FlowSimulatorApplication {

	/**
	 * The builder used by main and by tests that embed the simulator.
	 * <p>
	 * Properties a caller adds with {@code properties(..)} are default properties, the
	 * lowest-precedence source, so the defaults they must be able to override are set
	 * here ({@code server.port}) or in {@link SimulatorProperties} rather than in
	 * {@code flow-simulator.yml}, whose values would win.
	 * @return a builder reading {@code flow-simulator.yml} instead of
	 * {@code application.yml}
	 */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(FlowSimulatorApplication.class)
			.properties("spring.config.name=flow-simulator", "server.port=8090");
	}

	public static void main(String[] args) {
		builder().run(args);
	}

}
