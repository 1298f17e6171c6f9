package io.veoupscale.worker;

import io.veoupscale.flow.FlowClientConfiguration;
import io.veoupscale.store.StoreConfiguration;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The upscale worker service. Run as many instances as the upstream accounts allow; they
 * share one consumer group and lease batches through PostgreSQL.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({ StoreConfiguration.class, FlowClientConfiguration.class })
public class UpscaleWorkerApplication {

	/**
	 * The builder used by {@link #main} and by tests that start the worker in-process.
	 * Its defaults live in {@code upscale-worker.yml}, so that several services can share
	 * one classpath.
	 * @return the application builder
	 */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(UpscaleWorkerApplication.class)
			.properties("spring.config.name=upscale-worker");
	}

	public static void main(String[] args) {
		builder().run(args);
	}

}
