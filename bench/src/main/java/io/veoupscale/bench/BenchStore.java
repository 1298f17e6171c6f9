package io.veoupscale.bench;

import java.util.ArrayList;
import java.util.List;

import io.veoupscale.store.StoreConfiguration;
import io.veoupscale.testsupport.TestInfrastructure;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The shared store in the benchmark's JVM, without any service: to seed profiles (their
 * cookies encrypted as the services expect) and generations for services that run in
 * processes of their own. Without scheduling its outbox relay never runs.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(StoreConfiguration.class)
class BenchStore {

	static ConfigurableApplicationContext start() {
		List<String> args = new ArrayList<>();
		TestInfrastructure.springProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
		args.add("--logging.level.root=WARN");
		return new SpringApplicationBuilder(BenchStore.class).web(WebApplicationType.NONE)
			.properties("spring.config.name=bench-store")
			.run(args.toArray(String[]::new));
	}

}
