package io.veoupscale.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The API gateway service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ApiGatewayApplication {

	/**
	 * The builder used by {@link #main} and by tests that start the gateway in-process.
	 * Its defaults live in {@code api-gateway.yml}, so that several services can share
	 * one classpath.
	 * @return the application builder
	 */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(ApiGatewayApplication.class).properties("spring.config.name=api-gateway");
	}

	public static void main(String[] args) {
		builder().run(args);
	}

}
