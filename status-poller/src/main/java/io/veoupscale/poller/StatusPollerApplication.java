package io.veoupscale.poller;

import java.time.Clock;

import io.veoupscale.flow.FlowClientConfiguration;
import io.veoupscale.store.StoreConfiguration;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The status poller service. Any number of instances share the work through leases in
 * PostgreSQL.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({ StoreConfiguration.class, FlowClientConfiguration.class })
public class StatusPollerApplication {

	/**
	 * The builder used by {@link #main} and by tests that start the poller in-process.
	 * Its defaults live in {@code status-poller.yml}, so that several services can share
	 * one classpath.
	 * @return the application builder
	 */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(StatusPollerApplication.class)
			.properties("spring.config.name=status-poller");
	}

	public static void main(String[] args) {
		builder().run(args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
