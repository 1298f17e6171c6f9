package io.veoupscale.gateway;

import java.time.Clock;

import io.veoupscale.store.StoreConfiguration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The gateway's shared beans and the store it reads. Kept apart from the application
 * class so that {@code @WebMvcTest} slices start without a database.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@Import(StoreConfiguration.class)
class GatewayConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
