package io.veoupscale.simulator;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the simulator's clock, settings and Tomcat hook for dropped connections. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SimulatorProperties.class)
class SimulatorConfiguration {

	@Bean
	SimulatorClock simulatorClock() {
		return new SimulatorClock(Clock.systemUTC());
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> disconnectValveCustomizer() {
		return (factory) -> factory.addContextValves(new DisconnectValve());
	}

}
