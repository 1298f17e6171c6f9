package io.veoupscale.gateway.testing;

import io.veoupscale.gateway.GatewayProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;

/**
 * What a {@code @WebMvcTest} of the gateway needs besides its controller: the settings
 * the API key filter reads (slices do not scan configuration properties).
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class WebSliceConfiguration {

}
