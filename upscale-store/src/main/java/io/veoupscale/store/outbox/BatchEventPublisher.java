package io.veoupscale.store.outbox;

import io.veoupscale.events.BatchEvent;
import io.veoupscale.store.TopicProperties;

import org.springframework.stereotype.Component;

/**
 * Publishes a batch event in the caller's transaction: through the outbox to the events
 * topic, keyed by batchId. The relay numbers it in the event log (kept for replay) as it
 * sends it, and sends the number in the {@value #SEQUENCE_HEADER} header; one relay works
 * at a time, so numbers follow the order in which events reach the topic, and no
 * event-writing transaction waits for another.
 */
@Component
public class BatchEventPublisher {

	/** The Kafka header carrying an event's event-log sequence (decimal text). */
	public static final String SEQUENCE_HEADER = "upscale-event-seq";

	private final Outbox outbox;

	private final TopicProperties topics;

	BatchEventPublisher(Outbox outbox, TopicProperties topics) {
		this.outbox = outbox;
		this.topics = topics;
	}

	/**
	 * Publishes the event once the caller's transaction commits.
	 * @param event the event
	 */
	public void publish(BatchEvent event) {
		this.outbox.appendEvent(this.topics.batchEvents(), event);
	}

}
