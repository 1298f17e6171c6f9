package io.veoupscale.worker;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.veoupscale.events.BatchRequestRules;
import io.veoupscale.worker.batch.InvalidBatchCommandException;
import io.veoupscale.worker.batch.InvalidBatchRequestException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Sends a record of the requests (or command) topic that cannot be processed to
 * {@code <topic>.DLT} (with the reason in its headers), then says so once: a log line
 * naming the record (topic, partition, offset, key) and the reason, and a count per kind
 * of reason in {@value #METRIC}. The record's value is never logged: a producer may have
 * put anything in it.
 */
class DeadLetters implements ConsumerAwareRecordRecoverer {

	/** The counter of dead-lettered records, tagged with {@code reason}. */
	static final String METRIC = "upscale.requests.dead.lettered";

	/** A batch request that breaks the batch rules. */
	static final String INVALID = "invalid";

	/** Not JSON, or not the JSON of a batch request. */
	static final String UNREADABLE = "unreadable";

	/** Anything else, once the retries were exhausted. */
	static final String FAILED = "failed";

	private static final Logger logger = LoggerFactory.getLogger(DeadLetters.class);

	private final DeadLetterPublishingRecoverer publisher;

	private final MeterRegistry meters;

	DeadLetters(KafkaOperations<?, ?> kafka, MeterRegistry meters) {
		this.publisher = new DeadLetterPublishingRecoverer(kafka, (record, ex) -> destination(record));
		this.meters = meters;
		List.of(INVALID, UNREADABLE, FAILED).forEach(this::counter);
	}

	@Override
	public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, Exception exception) {
		this.publisher.accept(record, consumer, exception);
		String reason = reason(exception);
		counter(reason).increment();
		String message = "Dead-lettered a record of {}, partition {}, offset {}, key {}, to {}: {}: {}";
		Object[] arguments = { record.topic(), record.partition(), record.offset(), key(record),
				destination(record).topic(), reason, detail(exception) };
		if (FAILED.equals(reason)) {
			logger.error(message, arguments);
		}
		else {
			logger.warn(message, arguments);
		}
	}

	static TopicPartition destination(ConsumerRecord<?, ?> record) {
		return new TopicPartition(record.topic() + ".DLT", record.partition());
	}

	static String reason(Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidBatchRequestException || cause instanceof InvalidBatchCommandException) {
				return INVALID;
			}
			if (cause instanceof JacksonException) {
				return UNREADABLE;
			}
		}
		return FAILED;
	}

	/**
	 * What went wrong, without the record's content: the broken rules of an invalid
	 * request (which quote nothing but a refused model, escaped), only the position of a
	 * JSON error (Jackson's messages quote the input), and the class and message of any
	 * other failure.
	 */
	static String detail(Throwable exception) {
		Throwable root = exception;
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidBatchRequestException || cause instanceof InvalidBatchCommandException) {
				return String.valueOf(cause.getMessage());
			}
			if (cause instanceof JacksonException json) {
				TokenStreamLocation location = json.getLocation();
				return "not a batch request's JSON (" + json.getClass().getSimpleName()
						+ ((location != null && location.getLineNr() > 0)
								? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "")
						+ ")";
			}
			root = cause;
		}
		return root.getClass().getName() + ": " + BatchRequestRules.quote(root.getMessage(), 300);
	}

	private static String key(ConsumerRecord<?, ?> record) {
		return (record.key() != null) ? "'" + BatchRequestRules.quote(String.valueOf(record.key())) + "'" : "none";
	}

	private Counter counter(String reason) {
		return Counter.builder(METRIC)
			.description("Records of the batch requests and command topics sent to their dead-letter topics")
			.tag("reason", reason)
			.register(this.meters);
	}

}
