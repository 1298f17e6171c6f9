package io.veoupscale.gateway.batch;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.tracing.Span;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.gateway.GatewayProperties;
import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.store.TopicProperties;
import io.veoupscale.store.trace.TraceContexts;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Hands a batch to the requests topic and waits for the broker's acknowledgement
 * (acks=all), so a 202 means the batch is durably in Kafka; past the publish timeout the
 * caller gets 503.
 */
@Component
class BatchPublisher {

	private static final Logger logger = LoggerFactory.getLogger(BatchPublisher.class);

	private final KafkaTemplate<String, String> kafka;

	private final TopicProperties topics;

	private final GatewayProperties properties;

	private final TraceContexts traces;

	BatchPublisher(KafkaTemplate<String, String> kafka, TopicProperties topics, GatewayProperties properties,
			TraceContexts traces) {
		this.traces = traces;
		this.kafka = kafka;
		this.topics = topics;
		this.properties = properties;
	}

	void publish(BatchRequested command) {
		ProducerRecord<String, String> record = new ProducerRecord<>(this.topics.batchRequests(), command.batchId(),
				UpscaleJson.write(command));
		Span span = this.traces.send(record, this.traces.current());
		try {
			this.kafka.send(record).get(this.properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable(command, ex);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			throw unavailable(command, ex);
		}
		finally {
			if (span != null) {
				span.end();
			}
		}
	}

	private static ApiException unavailable(BatchRequested command, Exception ex) {
		logger.warn("batch {}: could not be handed to Kafka: {}", command.batchId(), ex.toString());
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
				"The batch could not be queued (message broker unavailable); nothing was started, try again");
	}

}
