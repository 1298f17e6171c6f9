package io.veoupscale.gateway.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.veoupscale.gateway.ApiGatewayApplication;
import io.veoupscale.testsupport.UsesTestInfrastructure;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * A gateway on a random port against the shared broker and database, with a fake worker
 * that plays the upscale worker. Every test class with this annotation shares one
 * context; use unique ids per test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@UsesTestInfrastructure
@SpringBootTest(classes = ApiGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=api-gateway", "upscale.gateway.api-key-hashes=" + GatewayClient.API_KEY_HASH,
				"upscale.gateway.sync-timeout=3s", "upscale.gateway.sync-check-interval=200ms",
				"upscale.gateway.events.heartbeat-interval=500ms",
				"upscale.gateway.events.partition-refresh-interval=1s", "upscale.outbox.poll-interval=200ms",
				"upscale.webhooks.allowed-cidrs=127.0.0.0/8",
				"upscale.webhooks.callback-secret=" + GatewayClient.CALLBACK_SECRET,
				"upscale.webhooks.sender.poll-interval=50ms", "upscale.webhooks.sender.initial-backoff=200ms",
				"upscale.webhooks.sender.jitter=0.1", "upscale.webhooks.sender.timeout=3s",
				"upscale.webhooks.sender.lease=10s" })
@Import(FakeWorker.class)
public @interface GatewayIntegrationTest {

}
