package io.veoupscale.store.outbox;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxPartitionsTests {

	@Test
	void sendsAKeyToTheSamePartitionInRangeEveryTime() {
		assertThat(OutboxPartitions.of("batch-1", 6)).isEqualTo(OutboxPartitions.of("batch-1", 6)).isBetween(0, 5);
		assertThat(OutboxPartitions.of("polygenelubricants", 6)).as("a key whose hash is Integer.MIN_VALUE")
			.isBetween(0, 5);
	}

	@Test
	void spreadsKeysOverEveryPartition() {
		Set<Integer> used = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			used.add(OutboxPartitions.of(UUID.randomUUID().toString(), 6));
		}
		assertThat(used).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
	}

}
