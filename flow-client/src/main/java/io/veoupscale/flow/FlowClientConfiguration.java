package io.veoupscale.flow;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.veoupscale.flow.internal.HttpFlowClient;
import io.veoupscale.flow.internal.HttpRecaptchaTokenSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/**
 * Imported by the services that call Flow.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FlowProperties.class)
public class FlowClientConfiguration {

	@Bean
	FlowClient flowClient(FlowProperties properties, RestClient.Builder restClients, MeterRegistry meters,
			ObjectProvider<Tracer> tracer) {
		return HttpFlowClient.create(properties, restClients, meters, tracer.getIfAvailable(() -> Tracer.NOOP));
	}

	@Bean
	RecaptchaTokenSource recaptchaTokenSource(FlowProperties properties, RestClient.Builder restClients) {
		return (properties.recaptchaProviderUrl() != null)
				? new HttpRecaptchaTokenSource(restClients, properties.recaptchaProviderUrl())
				: RecaptchaTokenSource.none();
	}

}
