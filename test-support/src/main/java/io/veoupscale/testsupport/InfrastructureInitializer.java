package io.veoupscale.testsupport;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

/**
 * Points a Spring test context at the shared broker and database. Properties a test sets
 * itself still win.
 */
public class InfrastructureInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final String INLINED_TEST_PROPERTIES = "Inlined Test Properties";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		MutablePropertySources sources = context.getEnvironment().getPropertySources();
		MapPropertySource infrastructure = new MapPropertySource("testInfrastructure",
				TestInfrastructure.springProperties());
		if (sources.contains(INLINED_TEST_PROPERTIES)) {
			sources.addAfter(INLINED_TEST_PROPERTIES, infrastructure);
		}
		else {
			sources.addFirst(infrastructure);
		}
	}

}
