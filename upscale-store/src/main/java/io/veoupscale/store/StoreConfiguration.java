package io.veoupscale.store;

import io.veoupscale.store.housekeeping.HousekeepingProperties;
import io.veoupscale.store.outbox.OutboxProperties;
import io.veoupscale.store.profile.CryptoProperties;
import io.veoupscale.store.webhook.WebhookProperties;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Imported by every service: the shared repositories, the outbox relay (with the
 * scheduling its sweep for rows left behind needs) and the topics, which are created when
 * absent.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackageClasses = StoreConfiguration.class)
@EnableConfigurationProperties({ TopicProperties.class, OutboxProperties.class, CryptoProperties.class,
		HousekeepingProperties.class, WebhookProperties.class, KafkaHealthProperties.class })
@EnableScheduling
public class StoreConfiguration {

	@Bean
	NewTopic batchRequestsTopic(TopicProperties topics) {
		return topic(topics.batchRequests(), topics);
	}

	@Bean
	NewTopic batchEventsTopic(TopicProperties topics) {
		return topic(topics.batchEvents(), topics);
	}

	@Bean
	NewTopic operationsTopic(TopicProperties topics) {
		return topic(topics.operations(), topics);
	}

	@Bean
	NewTopic batchCommandsTopic(TopicProperties topics) {
		return topic(topics.batchCommands(), topics);
	}

	/**
	 * Kafka's place in every service's health, named {@code kafka} for the readiness
	 * group.
	 */
	@Bean
	KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin admin, KafkaHealthProperties properties) {
		return new KafkaHealthIndicator(admin, properties.timeout());
	}

	private static NewTopic topic(String name, TopicProperties topics) {
		return TopicBuilder.name(name).partitions(topics.partitions()).replicas(topics.replicas()).build();
	}

}
