package io.veoupscale.gateway.upscale;

import io.veoupscale.flow.FlowClientConfiguration;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The Flow client the gateway renews video links with (its labs site only: the media
 * redirect, with a profile's session).
 */
@Configuration(proxyBeanMethods = false)
@Import(FlowClientConfiguration.class)
class UpscaleConfiguration {

}
