package io.veoupscale.poller;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.flow.AspectRatio;
import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.UpscaleStart;
import io.veoupscale.simulator.FlowSimulatorApplication;
import io.veoupscale.simulator.SimulatedAccounts;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.ProfileRepository;
import io.veoupscale.testsupport.Services;
import io.veoupscale.testsupport.SimulatorAdmin;
import io.veoupscale.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;

import static org.awaitility.Awaitility.await;

/**
 * A Flow simulator and poller instances in this JVM on the shared broker and database,
 * and the means to create what a worker would have left behind: started operations at the
 * simulator, their upscale rows, and their records on the operations topic.
 */
final class PollerTestSystem implements AutoCloseable {

	/** Poller settings that keep tests fast. */
	static final Map<String, String> FAST = Map.of("upscale.poller.poll-interval", "50ms",
			"upscale.poller.first-check-delay", "200ms", "upscale.poller.check-interval", "300ms",
			"upscale.poller.lease-duration", "3s", "upscale.poller.media-url-retry", "200ms",
			"upscale.outbox.poll-interval", "200ms");

	private final ConfigurableApplicationContext simulator;

	private final List<ConfigurableApplicationContext> pollers = new ArrayList<>();

	final SimulatorAdmin flow;

	PollerTestSystem(String simulatorCompleteAfter) {
		this.simulator = FlowSimulatorApplication.builder()
			.run("--server.port=0", "--flow.simulator.pending-for=100ms",
					"--flow.simulator.complete-after=" + simulatorCompleteAfter);
		this.flow = new SimulatorAdmin(Services.port(this.simulator));
	}

	ConfigurableApplicationContext startPoller(Map<String, String> overrides) {
		Map<String, String> properties = new LinkedHashMap<>(FAST);
		properties.putAll(overrides);
		String flowUrl = "http://localhost:" + Services.port(this.simulator);
		properties.put("flow.api-base-url", flowUrl);
		properties.put("flow.labs-base-url", flowUrl + "/fx");
		ConfigurableApplicationContext poller = Services.run(StatusPollerApplication.builder(), properties);
		this.pollers.add(poller);
		return poller;
	}

	<T> T bean(Class<T> type) {
		return this.pollers.stream()
			.filter(ConfigurableApplicationContext::isActive)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No poller is running"))
			.getBean(type);
	}

	private static String sessionOf(String profileId) {
		return "session-" + profileId;
	}

	/** The simulator's account of a profile, as its fault rules and call log name it. */
	String accountOf(String profileId) {
		return SimulatedAccounts.accountOf(sessionOf(profileId));
	}

	/**
	 * Creates a profile of its own for a test, with active cookies.
	 * @return the profile id
	 */
	String newProfile() {
		String profileId = "profile-" + UUID.randomUUID().toString().substring(0, 8);
		bean(ProfileRepository.class).save(profileId, profileId, true,
				new FlowCookies(sessionOf(profileId), Instant.now().plus(Duration.ofDays(1))));
		return profileId;
	}

	/**
	 * Does what a worker does for one item: starts it at Flow (unless an operation name
	 * is given), records the upscale, and publishes its initiated record.
	 * @return the upscale id
	 */
	UpscaleInitiated initiate(String profileId, String operationName) {
		UpscaleInitiated initiated = seed(profileId, operationName);
		publish(initiated);
		return initiated;
	}

	/**
	 * Starts an upscale at the simulator (unless an operation name is given) and stores
	 * its batch, item and upscale rows as a worker would, without publishing the
	 * initiated record yet.
	 * @return the record to publish
	 */
	UpscaleInitiated seed(String profileId, String operationName) {
		String batchId = "batch-" + UUID.randomUUID();
		String sceneId = UUID.randomUUID().toString();
		FlowClient flow = bean(FlowClient.class);
		String name = (operationName != null) ? operationName
				: flow
					.startUpscale(sessionOf(profileId),
							new UpscaleStart(sceneId, "media-" + sceneId, flow.modelKey("veo_2_1080p_upsampler_8s"),
									"fp1", AspectRatio.LANDSCAPE, null))
					.operationName();
		String upscaleId = UUID.randomUUID().toString();
		JdbcClient sql = bean(JdbcClient.class);
		sql.sql("insert into batches (id, total, delay_ms, status, requested_at, started_at) values (:id, 1, 0, 'running', now(), now())")
			.param("id", batchId)
			.update();
		sql.sql("""
				insert into batch_items (batch_id, item_index, source_generation_id, model, scene_id, upscale_id, status)
				values (:batchId, 1, 'gen-1', 'veo_2_1080p_upsampler_8s', cast(:sceneId as uuid), :upscaleId, 'started')
				""")
			.param("batchId", batchId)
			.param("sceneId", sceneId)
			.param("upscaleId", upscaleId)
			.update();
		sql.sql("""
				insert into upscales (id, batch_id, item_index, source_generation_id, profile_id, model, scene_id,
				                      operation_name, flow_project_id)
				values (:id, :batchId, 1, 'gen-1', :profileId, 'veo_2_1080p_upsampler_8s', cast(:sceneId as uuid),
				        :operationName, 'fp1')
				""")
			.param("id", upscaleId)
			.param("batchId", batchId)
			.param("profileId", profileId)
			.param("sceneId", sceneId)
			.param("operationName", name)
			.update();
		return new UpscaleInitiated(upscaleId, batchId, 1, "gen-1", profileId, sceneId, name, "fp1",
				"veo_2_1080p_upsampler_8s", Instant.now());
	}

	/**
	 * Initiates many upscales of one profile at once, as several batches' workers would.
	 * @return the initiated records
	 */
	List<UpscaleInitiated> initiateMany(String profileId, int count) {
		List<UpscaleInitiated> all = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			all.add(initiate(profileId, null));
		}
		return all;
	}

	void publish(UpscaleInitiated initiated) {
		publish(initiated.upscaleId(), UpscaleJson.write(initiated));
	}

	/**
	 * Publishes any record on the operations topic, as a faulty producer might.
	 * @param key the record key
	 * @param value the record value
	 */
	@SuppressWarnings("unchecked")
	void publish(String key, String value) {
		bean(KafkaTemplate.class).send(Topics.OPERATIONS, key, value).join();
	}

	/**
	 * Waits for a record of the given key on the operations topic's dead-letter topic.
	 * @param key the record key
	 * @return the dead-lettered record
	 */
	ConsumerRecord<String, String> deadLetter(String key) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestInfrastructure.kafkaBootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
				"dead-letters-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(Topics.OPERATIONS + ".DLT"));
			List<ConsumerRecord<String, String>> found = new ArrayList<>();
			await().atMost(Duration.ofSeconds(15)).until(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach((record) -> {
					if (key.equals(record.key())) {
						found.add(record);
					}
				});
				return !found.isEmpty();
			});
			return found.get(0);
		}
	}

	/** How many of the upscales completed with a video URL. */
	long completed(List<UpscaleInitiated> operations) {
		return count("select count(*) from upscales where id = any(:ids) and status = 'completed' "
				+ "and video_url is not null", operations);
	}

	/** How many of the upscales are still in the poll schedule. */
	long scheduled(List<UpscaleInitiated> operations) {
		return count("select count(*) from operation_checks where upscale_id = any(:ids)", operations);
	}

	/** How many of the upscales a poller holds a lease on. */
	long leased(List<UpscaleInitiated> operations) {
		return count("select count(*) from operation_checks where upscale_id = any(:ids) and leased_by is not null",
				operations);
	}

	private long count(String sql, List<UpscaleInitiated> operations) {
		return bean(JdbcClient.class).sql(sql)
			.param("ids", operations.stream().map(UpscaleInitiated::upscaleId).toArray(String[]::new))
			.query(Long.class)
			.single();
	}

	/** The credits of the profile's account as the store keeps them, or null. */
	Integer creditsOf(String profileId) {
		return bean(JdbcClient.class).sql("select credits from profile_accounts where profile_id = :id")
			.param("id", profileId)
			.query(Integer.class)
			.optional()
			.orElse(null);
	}

	/** Whether the upscale's video URL has the moment it was resolved. */
	boolean videoUrlDated(String upscaleId) {
		return bean(JdbcClient.class).sql("select video_url_at is not null from upscales where id = :id")
			.param("id", upscaleId)
			.query(Boolean.class)
			.single();
	}

	String statusOf(String upscaleId) {
		return bean(JdbcClient.class)
			.sql("select status || ' ' || coalesce(video_url, error, '') from upscales where id = :id")
			.param("id", upscaleId)
			.query(String.class)
			.single();
	}

	@Override
	public void close() {
		this.pollers.stream()
			.filter(ConfigurableApplicationContext::isActive)
			.forEach(ConfigurableApplicationContext::close);
		this.simulator.close();
	}

}
