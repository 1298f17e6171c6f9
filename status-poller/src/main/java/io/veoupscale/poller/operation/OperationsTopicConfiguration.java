package io.veoupscale.poller.operation;

import io.veoupscale.events.UpscaleJson;
import io.veoupscale.poller.PollerProperties;
import io.veoupscale.store.TopicProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.converter.RecordMessageConverter;
import org.springframework.kafka.support.converter.StringJacksonJsonMessageConverter;

/**
 * How records of the operations topic reach the listener: read as
 * {@code UpscaleInitiated} through the project's JSON mapping, and, when they cannot be
 * taken, retried with the back-off of {@code upscale.poller.listener} and then sent to
 * {@code <topic>.DLT} with the reason in headers. A record that does not convert goes
 * there at once. Boot applies both beans to every listener container.
 */
@Configuration(proxyBeanMethods = false)
class OperationsTopicConfiguration {

	@Bean
	RecordMessageConverter upscaleMessageConverter() {
		return new StringJacksonJsonMessageConverter(UpscaleJson.mapper());
	}

	@Bean
	NewTopic operationsDeadLetterTopic(TopicProperties topics) {
		return TopicBuilder.name(topics.operations() + ".DLT")
			.partitions(topics.partitions())
			.replicas(topics.replicas())
			.build();
	}

	@Bean
	DefaultErrorHandler operationsErrorHandler(KafkaTemplate<String, String> kafka, PollerProperties properties) {
		DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
				(record, ex) -> new TopicPartition(record.topic() + ".DLT", record.partition()));
		return new DefaultErrorHandler(deadLetters, properties.listener().backOff());
	}

}
