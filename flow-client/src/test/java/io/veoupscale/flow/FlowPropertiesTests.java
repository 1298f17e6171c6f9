package io.veoupscale.flow;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class FlowPropertiesTests {

	@Test
	void sendsTheSeedsDeprecatedModelAsItsCurrentKeyInV2Only() {
		FlowProperties properties = bind(Map.of());

		assertThat(properties.modelAliases().of(FlowDialect.V2))
			.containsExactly(Map.entry("veo_2_1080p_upsampler_8s", "veo_3_1_upsampler_1080p"));
		assertThat(properties.modelAliases().of(FlowDialect.V1)).isEmpty();
	}

	@Test
	void takesAliasesFromTheEnvironmentAndNoneWhenSetEmpty() {
		assertThat(bind(Map.of("FLOW_MODEL_ALIASES_V2", "a=b,c=d")).modelAliases().of(FlowDialect.V2))
			.containsExactly(Map.entry("a", "b"), Map.entry("c", "d"));
		assertThat(bind(Map.of("FLOW_MODEL_ALIASES_V2", "")).modelAliases().of(FlowDialect.V2)).isEmpty();
	}

	private static FlowProperties bind(Map<String, Object> environment) {
		StandardEnvironment spring = new StandardEnvironment();
		spring.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					environment));
		return new Binder(ConfigurationPropertySources.get(spring)).bindOrCreate("flow", FlowProperties.class);
	}

}
