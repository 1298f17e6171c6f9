package io.veoupscale.store.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Finds outbox rows that already reached Kafka. A relay that died after Kafka
 * acknowledged a batch but before it deleted the rows leaves them behind; the next relay
 * reads the tail of each partition, where every relayed record carries its outbox id, and
 * skips those rows instead of publishing them twice. Sound because one relay publishes at
 * a time, in id order, with an idempotent producer, each row to the partition
 * {@link OutboxPartitions} gives its key: a partition holding row n holds every earlier
 * row of that partition.
 */
@Component
class OutboxTail {

	/** The header with the outbox id of a relayed record (decimal text). */
	static final String OUTBOX_ID_HEADER = "upscale-outbox-id";

	private static final int TAIL_RECORDS = 50;

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

	private final ConsumerFactory<?, ?> consumers;

	OutboxTail(ConsumerFactory<?, ?> consumers) {
		this.consumers = consumers;
	}

	/**
	 * Which of the given rows are already in their topic.
	 * @param rows outbox rows in id order
	 * @return the ids of those already published
	 */
	Set<Long> alreadyPublished(List<OutboxRelay.OutboxRow> rows) {
		Map<String, Object> config = new HashMap<>(this.consumers.getConfigurationProperties());
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		Properties unused = new Properties();
		try (Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
				new StringDeserializer())
			.createConsumer(null, "outbox-tail", null, unused)) {
			Map<String, Integer> partitionCounts = new HashMap<>();
			for (String topic : rows.stream().map(OutboxRelay.OutboxRow::topic).collect(Collectors.toSet())) {
				List<PartitionInfo> partitions = consumer.partitionsFor(topic, READ_TIMEOUT);
				partitionCounts.put(topic, partitions.size());
			}
			Map<TopicPartition, Long> lastIds = lastOutboxIds(consumer, partitionCounts);
			return rows.stream().filter((row) -> {
				int partitionCount = partitionCounts.get(row.topic());
				int partition = OutboxPartitions.of(row.recordKey(), partitionCount);
				Long last = lastIds.get(new TopicPartition(row.topic(), partition));
				return last != null && row.id() <= last;
			}).map(OutboxRelay.OutboxRow::id).collect(Collectors.toSet());
		}
	}

	private Map<TopicPartition, Long> lastOutboxIds(Consumer<String, String> consumer,
			Map<String, Integer> partitionCounts) {
		List<TopicPartition> partitions = new ArrayList<>();
		partitionCounts.forEach((topic, count) -> {
			for (int p = 0; p < count; p++) {
				partitions.add(new TopicPartition(topic, p));
			}
		});
		Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
		Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, READ_TIMEOUT);
		List<TopicPartition> nonEmpty = partitions.stream()
			.filter((partition) -> ends.get(partition) > beginnings.get(partition))
			.toList();
		Map<TopicPartition, Long> lastIds = new HashMap<>();
		if (nonEmpty.isEmpty()) {
			return lastIds;
		}
		consumer.assign(nonEmpty);
		for (TopicPartition partition : nonEmpty) {
			consumer.seek(partition, Math.max(beginnings.get(partition), ends.get(partition) - TAIL_RECORDS));
		}
		Instant deadline = Instant.now().plus(READ_TIMEOUT);
		Map<TopicPartition, Long> remaining = new HashMap<>();
		nonEmpty.forEach((partition) -> remaining.put(partition, ends.get(partition)));
		while (!remaining.isEmpty() && Instant.now().isBefore(deadline)) {
			for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
				TopicPartition partition = new TopicPartition(record.topic(), record.partition());
				Header header = record.headers().lastHeader(OUTBOX_ID_HEADER);
				if (header != null) {
					lastIds.merge(partition, Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII)),
							Math::max);
				}
				if (record.offset() + 1 >= remaining.getOrDefault(partition, Long.MAX_VALUE)) {
					remaining.remove(partition);
				}
			}
		}
		if (!remaining.isEmpty()) {
			throw new IllegalStateException("Could not read the tail of " + remaining.keySet());
		}
		return lastIds;
	}

}
