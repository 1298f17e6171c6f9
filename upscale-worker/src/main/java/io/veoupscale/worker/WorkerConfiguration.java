package io.veoupscale.worker;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.store.InstanceIds;
import io.veoupscale.store.TopicProperties;
import io.veoupscale.worker.batch.InvalidBatchCommandException;
import io.veoupscale.worker.batch.InvalidBatchRequestException;
import org.apache.kafka.clients.admin.NewTopic;
import tools.jackson.core.JacksonException;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.converter.RecordMessageConverter;
import org.springframework.kafka.support.converter.StringJacksonJsonMessageConverter;

/**
 * The worker's infrastructure: its identity as a lease owner, its clocks, and how the
 * requests and command topics reach their listeners: typed records read with the
 * project's JSON mapping, retried with the back-off of {@code upscale.worker.listener},
 * and poison records sent to {@code <topic>.DLT} with the reason in headers, each logged
 * once and counted.
 */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	@ConditionalOnMissingBean
	QuotaClock quotaClock(Clock clock) {
		return new QuotaClock(clock);
	}

	/**
	 * Bounds the tags whose values come from outside: a failure's reason (the first word
	 * of Flow's answer) and the profile of a start. Values past the bound are dropped
	 * rather than growing the series without end.
	 */
	@Bean
	MeterFilter boundedReasons() {
		return MeterFilter.maximumAllowableTags("upscale.batch.items", "reason", 50, MeterFilter.deny());
	}

	@Bean
	MeterFilter boundedProfiles() {
		return MeterFilter.maximumAllowableTags("upscale.starts", "profile", 1000, MeterFilter.deny());
	}

	@Bean
	WorkerInstance workerInstance(WorkerProperties properties) {
		return new WorkerInstance(InstanceIds.resolve(properties.instanceId()));
	}

	@Bean
	NewTopic batchRequestsDeadLetterTopic(TopicProperties topics) {
		return TopicBuilder.name(topics.batchRequests() + ".DLT")
			.partitions(topics.partitions())
			.replicas(topics.replicas())
			.build();
	}

	@Bean
	NewTopic batchCommandsDeadLetterTopic(TopicProperties topics) {
		return TopicBuilder.name(topics.batchCommands() + ".DLT")
			.partitions(topics.partitions())
			.replicas(topics.replicas())
			.build();
	}

	/**
	 * Listeners receive {@code BatchRequested} and {@code BatchCommand} read with the
	 * project's JSON mapping; a record that does not convert is dead-lettered at once.
	 */
	@Bean
	RecordMessageConverter upscaleMessageConverter() {
		return new StringJacksonJsonMessageConverter(UpscaleJson.mapper());
	}

	@Bean
	DefaultErrorHandler batchRequestsErrorHandler(KafkaTemplate<String, String> kafka, MeterRegistry meters,
			WorkerProperties properties) {
		DefaultErrorHandler handler = new DefaultErrorHandler(new DeadLetters(kafka, meters),
				properties.listener().backOff());
		handler.addNotRetryableExceptions(InvalidBatchRequestException.class, InvalidBatchCommandException.class,
				JacksonException.class);
		return handler;
	}

}
