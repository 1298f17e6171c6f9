package io.veoupscale.gateway.testing;

import io.veoupscale.gateway.GatewayProperties;
import io.veoupscale.gateway.webhook.WebhookUrls;
import io.veoupscale.store.webhook.WebhookProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What a {@code @WebMvcTest} of the gateway needs besides its controller: the settings
 * the API key filter reads (slices do not scan configuration properties), and the check
 * of callback URLs.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({ GatewayProperties.class, WebhookProperties.class })
@Import(WebhookUrls.class)
public class WebSliceConfiguration {

}
