package io.veoupscale.gateway.events;

import java.util.Properties;
import java.util.UUID;

import io.veoupscale.store.TopicProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;

/**
 * The container that reads the events topic for this instance's SSE streams and sync
 * requests: a consumer group of its own per instance, so every instance reads every
 * partition, and Kafka's subscription finds partitions added later. Nothing is committed:
 * the group holds no offsets and disappears with the instance.
 */
@Configuration(proxyBeanMethods = false)
class LiveEventsConfiguration {

	private static final String CLIENT_ID = "api-gateway-live-events";

	@Bean
	LiveEventConsumer liveEventConsumer(ApplicationEventPublisher publisher) {
		return new LiveEventConsumer(publisher);
	}

	@Bean
	KafkaMessageListenerContainer<String, String> liveEventsContainer(ConsumerFactory<String, String> consumers,
			TopicProperties topics, EventStreamProperties properties, LiveEventConsumer consumer) {
		String instance = UUID.randomUUID().toString().substring(0, 8);
		ContainerProperties container = new ContainerProperties(topics.batchEvents());
		container.setGroupId(CLIENT_ID + "-" + instance);
		container.setClientId(CLIENT_ID + "-" + instance);
		// Never acknowledged, so never committed.
		container.setAckMode(ContainerProperties.AckMode.MANUAL);
		container.setPollTimeout(properties.pollTimeout().toMillis());
		container.setMessageListener(consumer);
		container.setConsumerRebalanceListener(consumer);
		Properties kafka = new Properties();
		kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		kafka.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		kafka.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
		kafka.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG,
				String.valueOf(properties.partitionRefreshInterval().toMillis()));
		container.setKafkaConsumerProperties(kafka);
		KafkaMessageListenerContainer<String, String> events = new KafkaMessageListenerContainer<>(consumers,
				container);
		events.setBeanName("liveEvents");
		// A listener failure is logged by the consumer; a client replays a gap from the
		// event log.
		events.setCommonErrorHandler(new CommonLoggingErrorHandler());
		return events;
	}

}
