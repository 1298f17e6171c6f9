package io.veoupscale.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.store.generation.Generation;
import io.veoupscale.store.generation.GenerationRepository;
import io.veoupscale.store.outbox.BatchEventPublisher;
import io.veoupscale.store.outbox.OutboxPartitions;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.ProfileAccounts;
import io.veoupscale.store.profile.ProfileHealth;
import io.veoupscale.store.profile.ProfileRepository;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * What the shared store promises every service, checked on whichever infrastructure a
 * subclass provides: events reach Kafka after their transaction commits, in order,
 * numbered, never when it rolls back, never twice; cookies are unreadable at rest.
 */
abstract class StoreContract {

	@Autowired
	BatchEventPublisher events;

	@Autowired
	ProfileRepository profiles;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcClient sql;

	@Autowired
	Environment environment;

	@Autowired
	GenerationRepository generations;

	@Autowired
	ProfileAccounts accounts;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Test
	void publishesTheEventsOfACommittedTransactionInOrderWithTheirSequence() {
		String batchId = "batch-" + UUID.randomUUID();
		Instant now = Instant.now();
		this.transactions.executeWithoutResult((status) -> {
			this.events.publish(new BatchStarted(batchId, 1, List.of("g1"), UUID.randomUUID().toString(), now));
			this.events.publish(ItemProgressed.failed(batchId, 1, 1, "g1", "Source video not found",
					UUID.randomUUID().toString(), now));
			this.events.publish(new BatchCompleted(batchId, 0, 1, 1, UUID.randomUUID().toString(), now));
		});

		List<ConsumerRecord<String, String>> records = recordsOf(batchId, 3);

		assertThat(records).extracting((record) -> UpscaleJson.read(record.value(), BatchEvent.class).type())
			.containsExactly(BatchStarted.TYPE, ItemProgressed.TYPE, BatchCompleted.TYPE);
		List<Long> sequences = records.stream()
			.map((record) -> Long
				.parseLong(new String(record.headers().lastHeader(BatchEventPublisher.SEQUENCE_HEADER).value(),
						StandardCharsets.US_ASCII)))
			.toList();
		assertThat(sequences).isSorted().doesNotHaveDuplicates();
		assertThat(this.sql.sql("select seq from event_log where batch_id = :id order by seq")
			.param("id", batchId)
			.query(Long.class)
			.list()).containsExactlyElementsOf(sequences);
	}

	@Test
	void publishesNothingOfARolledBackTransaction() {
		String batchId = "batch-" + UUID.randomUUID();
		this.transactions.executeWithoutResult((status) -> {
			this.events
				.publish(new BatchStarted(batchId, 1, List.of("g1"), UUID.randomUUID().toString(), Instant.now()));
			status.setRollbackOnly();
		});
		this.transactions.executeWithoutResult((status) -> this.events
			.publish(new BatchCompleted(batchId, 0, 1, 1, UUID.randomUUID().toString(), Instant.now())));

		assertThat(recordsOf(batchId, 1)).extracting(ConsumerRecord::value)
			.singleElement()
			.satisfies((value) -> assertThat(value).contains(BatchCompleted.TYPE));
		assertThat(this.sql.sql("select count(*) from event_log where batch_id = :id")
			.param("id", batchId)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void refusesToPublishOutsideATransaction() {
		String batchId = "batch-" + UUID.randomUUID();

		assertThatIllegalStateException()
			.isThrownBy(() -> this.events
				.publish(new BatchCompleted(batchId, 0, 1, 1, UUID.randomUUID().toString(), Instant.now())))
			.withMessageContaining("transaction");
		assertThat(this.sql.sql("select count(*) from outbox_events where record_key = :id")
			.param("id", batchId)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void neverPublishesTwiceWhatAStoppedRelaySentBeforeDeletingIt() throws Exception {
		String key = "batch-" + UUID.randomUUID();
		long sent = nextOutboxId();
		long unsent = nextOutboxId();
		int partition = OutboxPartitions.of(key, this.kafka.partitionsFor(Topics.BATCH_EVENTS).size());
		ProducerRecord<String, String> record = new ProducerRecord<>(Topics.BATCH_EVENTS, partition, key, "sent");
		record.headers().add("upscale-outbox-id", Long.toString(sent).getBytes(StandardCharsets.US_ASCII));
		this.kafka.send(record).get(10, TimeUnit.SECONDS);

		this.sql.sql("""
				insert into outbox_events (id, topic, record_key, payload, attempts)
				values (:sent, :topic, :key, 'sent', 1), (:unsent, :topic, :key, 'unsent', 1)
				""")
			.param("sent", sent)
			.param("unsent", unsent)
			.param("topic", Topics.BATCH_EVENTS)
			.param("key", key)
			.update();

		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.sql.sql("select count(*) from outbox_events where record_key = :key")
				.param("key", key)
				.query(Long.class)
				.single() == 0);
		assertThat(recordsOf(key, 2)).extracting(ConsumerRecord::value).containsExactly("sent", "unsent");
	}

	@Test
	void keepsCookiesEncryptedAtRest() {
		String profileId = "profile-" + UUID.randomUUID();
		String token = "very-secret-session-" + UUID.randomUUID();
		this.profiles.save(profileId, "P", true, new FlowCookies(token, Instant.now().plus(Duration.ofDays(1))));

		byte[] stored = this.sql.sql("select flow_cookies from profiles where id = :id")
			.param("id", profileId)
			.query((rs, row) -> rs.getBytes(1))
			.single();

		assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(token);
		assertThat(this.profiles.findCookies(profileId))
			.hasValueSatisfying((cookies) -> assertThat(cookies.sessionToken()).isEqualTo(token));
		assertThat(this.profiles.find(profileId)).hasValueSatisfying((profile) -> {
			assertThat(profile.hasActiveFlowCookies(Instant.now())).isTrue();
			assertThat(profile.toString()).doesNotContain(token);
		});
	}

	@Test
	void findsTheCookiesOfSeveralProfilesInOneQuery() {
		String first = "profile-" + UUID.randomUUID();
		String second = "profile-" + UUID.randomUUID();
		String withoutCookies = "profile-" + UUID.randomUUID();
		this.profiles.save(first, "P1", true, new FlowCookies("session-1", Instant.now().plus(Duration.ofDays(1))));
		this.profiles.save(second, "P2", true, new FlowCookies("session-2", null));
		this.profiles.save(withoutCookies, "P3", false, null);

		Map<String, FlowCookies> cookies = this.profiles
			.findCookies(List.of(first, second, withoutCookies, "profile-unknown"));

		assertThat(cookies).containsOnlyKeys(first, second);
		assertThat(cookies.get(first).sessionToken()).isEqualTo("session-1");
		assertThat(cookies.get(second).sessionToken()).isEqualTo("session-2");
	}

	@Test
	void keepsTheAspectRatioOfAGenerationLandscapeUnlessToldOtherwise() {
		String shortVideo = "gen-" + UUID.randomUUID();
		String video = "gen-" + UUID.randomUUID();

		this.generations.save(shortVideo, "p", "prof", "completed", "m1", null, "portrait");
		this.generations.save(video, "p", "prof", "completed", "m2", null);

		assertThat(this.generations.find(shortVideo)).map(Generation::aspectRatio).contains("portrait");
		assertThat(this.generations.find(video)).map(Generation::aspectRatio).contains("landscape");
	}

	@Test
	void keepsTheLatestCreditsAndTheTierFlowReportedOfAnAccount() {
		String profileId = "profile-" + UUID.randomUUID();
		Instant now = Instant.parse("2026-03-01T10:00:00Z");
		assertThat(this.accounts.health(profileId).state(now)).isEqualTo(ProfileHealth.ACTIVE);

		this.accounts.recordAccount(profileId, "PAYGATE_TIER_ONE", 100, now);
		this.accounts.recordCredits(profileId, 80, now.plusSeconds(2));
		this.accounts.recordCredits(profileId, 90, now.plusSeconds(1));

		ProfileHealth health = this.accounts.health(profileId);
		assertThat(health.tier()).isEqualTo("PAYGATE_TIER_ONE");
		assertThat(health.credits()).as("an answer that arrived late does not undo a later one").isEqualTo(80);
		assertThat(health.creditsAt()).isEqualTo(now.plusSeconds(2));
		assertThat(health.modelHolds()).isEmpty();
	}

	private long nextOutboxId() {
		return this.sql.sql("select nextval('outbox_events_id_seq')").query(Long.class).single();
	}

	private List<ConsumerRecord<String, String>> recordsOf(String batchId, int expected) {
		List<ConsumerRecord<String, String>> seen = new ArrayList<>();
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.environment.getRequiredProperty("spring.kafka.bootstrap-servers"), ConsumerConfig.GROUP_ID_CONFIG,
				"store-test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(Topics.BATCH_EVENTS));
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
					if (batchId.equals(record.key())) {
						seen.add(record);
					}
				});
				return seen.size() >= expected;
			});
		}
		return seen;
	}

}
