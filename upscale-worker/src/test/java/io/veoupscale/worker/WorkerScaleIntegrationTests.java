package io.veoupscale.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.Topics;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.SimulatorAdmin;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;
import io.veoupscale.testsupport.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several workers in one consumer group: profile pacing across instances, batches longer
 * than the poll interval, and poison records. Each test gets its own consumer group, so
 * that its workers share no state with other tests' workers but the database.
 */
class WorkerScaleIntegrationTests {

	/**
	 * Consumers of the requests topic per worker
	 * ({@code spring.kafka.listener.concurrency}).
	 */
	private static final int LISTENER_CONCURRENCY = 3;

	private WorkerTestSystem system;

	private EventsProbe events;

	private String group;

	@BeforeEach
	void start() {
		this.system = new WorkerTestSystem();
		this.events = EventsProbe.start();
		this.group = "workers-" + UUID.randomUUID();
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.events.close();
		this.system.close();
	}

	@Test
	void spacesTheStartsOfOneProfileAcrossBatchesAndInstances() {
		TwoBatches run = twoBatchesOfOneProfileOnTwoWorkers("400ms", null);

		assertThat(SimulatorAdmin.gapsBetweenAccepted(run.starts()))
			.allSatisfy((gap) -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(400)));
		assertThat(this.system.sql()
			.sql("select count(distinct leased_by) from batches where id in (:first, :second)")
			.param("first", run.first())
			.param("second", run.second())
			.query(Long.class)
			.single()).as("leases are cleared on completion").isZero();
	}

	@Test
	void startsOneProfileStartAtATimeAndSpacesTheNextFromFlowsAnswer() {
		TwoBatches run = twoBatchesOfOneProfileOnTwoWorkers("100ms",
				Map.of("target", "start", "kind", "latency", "latencyMs", 400, "times", 0));

		assertThat(SimulatorAdmin.gapsBetweenAccepted(run.starts()))
			.as("each start reaches Flow the spacing after the previous one was answered, 400 ms after it arrived")
			.allSatisfy((gap) -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(500)));
	}

	/**
	 * Two workers with the given profile spacing and two 3-item batches of one profile.
	 * @param startFault a fault rule for the profile's starts, or null
	 */
	private TwoBatches twoBatchesOfOneProfileOnTwoWorkers(String spacing, @Nullable Map<String, Object> startFault) {
		Map<String, String> spaced = Map.of("spring.kafka.consumer.group-id", this.group,
				"upscale.worker.profile-min-spacing", spacing);
		this.system.startWorker(spaced);
		this.system.startWorker(spaced);
		String profile = UUID.randomUUID().toString().substring(0, 8);
		String account = this.system.profile(profile);
		List<String> sources = this.system.completedGenerations(profile, 6);
		if (startFault != null) {
			Map<String, Object> rule = new HashMap<>(startFault);
			rule.put("account", account);
			this.system.flow.addFault(rule);
		}

		String first = this.system.requestBatch(sources.subList(0, 3), 0);
		String second = this.system.requestBatch(sources.subList(3, 6), 0);

		awaitCompleted(first);
		awaitCompleted(second);
		List<StartCall> starts = this.system.flow.starts()
			.stream()
			.filter((start) -> account.equals(start.account()))
			.toList();
		assertThat(starts).hasSize(6).allMatch(StartCall::accepted);
		return new TwoBatches(first, second, starts);
	}

	@Test
	void keepsPollingWhileABatchRunsLongerThanTheMaxPollInterval() {
		this.system.startWorker(Map.of("spring.kafka.consumer.group-id", this.group,
				"spring.kafka.consumer.properties.max.poll.interval.ms", "10000"));
		String profile = UUID.randomUUID().toString().substring(0, 8);
		this.system.profile(profile);
		List<String> sources = this.system.completedGenerations(profile, 12);
		Set<String> membersBefore = awaitMembers();

		String longBatch = this.system.requestBatch(sources.subList(0, 11), 1500);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.events.of(longBatch, ItemProgressed.class).size() >= 5);
		String shortBatch = this.system.requestBatch(sources.subList(11, 12), 0);

		await().atMost(Duration.ofSeconds(5)).until(() -> !this.events.of(shortBatch, BatchStarted.class).isEmpty());
		awaitCompleted(longBatch);
		assertThat(awaitMembers()).as("the same consumers, never rebalanced out").isEqualTo(membersBefore);
	}

	@Test
	void deadLettersPoisonRecordsWithTheReasonAndKeepsGoing() {
		this.system.startWorker(Map.of("spring.kafka.consumer.group-id", this.group));
		String profile = UUID.randomUUID().toString().substring(0, 8);
		this.system.profile(profile);
		List<String> sources = this.system.completedGenerations(profile, 1);
		String marker = UUID.randomUUID().toString();

		this.system.send("poison-1-" + marker, "this is not JSON " + marker);
		this.system.send("poison-2-" + marker,
				"{\"batchId\":\"\",\"requests\":[{\"sourceGenerationId\":\"x\"}],\"note\":\"" + marker + "\"}");
		this.system.send("poison-3-" + marker,
				"{\"batchId\":\"b-" + marker + "\",\"requests\":[],\"note\":\"" + marker + "\"}");
		String good = this.system.requestBatch(sources, 0);

		awaitCompleted(good);
		Map<String, String> reasons = deadLetters(marker, 3);
		assertThat(reasons.get("poison-1-" + marker)).isNotBlank();
		assertThat(reasons.get("poison-2-" + marker)).contains("batchId must not be blank");
		assertThat(reasons.get("poison-3-" + marker)).contains("requests must contain at least 1 item");
	}

	private void awaitCompleted(String batchId) {
		await().atMost(Duration.ofSeconds(40)).until(() -> !this.events.of(batchId, BatchCompleted.class).isEmpty());
	}

	/**
	 * The consumers of the one worker's requests listener, once all of them have joined.
	 */
	private Set<String> awaitMembers() {
		return await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
			try (Admin admin = Admin.create(
					Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()))) {
				ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(this.group))
					.describedGroups()
					.get(this.group)
					.get();
				Collection<MemberDescription> members = group.members();
				return members.stream().map(MemberDescription::consumerId).collect(Collectors.toSet());
			}
		}, (members) -> members.size() == LISTENER_CONCURRENCY);
	}

	private Map<String, String> deadLetters(String marker, int expected) {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<ConsumerRecord<String, String>> seen = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(Topics.BATCH_REQUESTS + ".DLT"));
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
					if (record.key() != null && record.key().endsWith(marker)) {
						seen.add(record);
					}
				});
				return seen.size() >= expected;
			});
		}
		return seen.stream().collect(Collectors.toMap(ConsumerRecord::key, WorkerScaleIntegrationTests::reason));
	}

	private static String reason(ConsumerRecord<String, String> record) {
		Header header = record.headers().lastHeader("kafka_dlt-exception-message");
		return (header != null) ? new String(header.value()) : "";
	}

	private record TwoBatches(String first, String second, List<StartCall> starts) {
	}

}
