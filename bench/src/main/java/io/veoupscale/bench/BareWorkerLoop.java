package io.veoupscale.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.testsupport.Database;
import io.veoupscale.testsupport.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The worker benchmark's baseline: kafka-clients, one JDBC connection and the JDK HTTP
 * client doing a worker's reads and writes per item and nothing else. Per batch it
 * consumes the request, stores the batch and its items and commits the record; per item
 * it reads the generation and profile rows, sends one start to Flow, and in one
 * transaction inserts the upscale row and marks the item started, then sends the progress
 * event and the initiated-upscale record straight to Kafka. No lease, heartbeat or fence,
 * no pacing bookkeeping, no event log or outbox, no cookie decryption, no metrics.
 */
final class BareWorkerLoop implements Runnable, AutoCloseable {

	private final String topic;

	private final String flowUrl;

	private final Map<String, String> sessions;

	private final Map<String, String> accessTokens = new ConcurrentHashMap<>();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * @param topic where its batch requests arrive
	 * @param flowUrl the simulator's base URL
	 * @param sessions session cookie per profile id (what decrypting the cookies gives)
	 */
	BareWorkerLoop(String topic, String flowUrl, Map<String, String> sessions) {
		this.topic = topic;
		this.flowUrl = flowUrl;
		this.sessions = sessions;
		this.thread = new Thread(this, "bare-worker-loop");
	}

	void start() {
		this.thread.start();
	}

	@Override
	public void run() {
		Database database = TestInfrastructure.database();
		Properties consumerConfig = new Properties();
		consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
		consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "bare-worker-" + UUID.randomUUID());
		consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		Properties producerConfig = new Properties();
		producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
		producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
				new StringDeserializer());
				KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
						new StringSerializer());
				Connection sql = DriverManager.getConnection(database.jdbcUrl(), database.username(),
						database.password())) {
			sql.setAutoCommit(false);
			consumer.subscribe(List.of(this.topic));
			while (this.running) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
					BatchRequested command = UpscaleJson.read(record.value(), BatchRequested.class);
					intake(sql, producer, command);
					consumer.commitSync();
					work(sql, producer, command);
				}
			}
		}
		catch (Exception ex) {
			ex.printStackTrace();
		}
	}

	private void intake(Connection sql, KafkaProducer<String, String> producer, BatchRequested command)
			throws SQLException {
		Instant now = Instant.now();
		try (PreparedStatement batch = sql.prepareStatement("""
				insert into batches (id, total, delay_ms, status, requested_at, received_at, started_at, leased_by,
				                     leased_until)
				values (?, ?, ?, 'running', ?, ?, ?, 'bare-loop', ?)
				"""); PreparedStatement items = sql.prepareStatement("""
				insert into batch_items (batch_id, item_index, source_generation_id, model, scene_id, upscale_id)
				values (?, ?, ?, ?, ?, ?)
				""")) {
			batch.setString(1, command.batchId());
			batch.setInt(2, command.requests().size());
			batch.setInt(3, command.delayMsOrDefault());
			batch.setTimestamp(4, Timestamp.from(now));
			batch.setTimestamp(5, Timestamp.from(now));
			batch.setTimestamp(6, Timestamp.from(now));
			batch.setTimestamp(7, Timestamp.from(now.plus(Duration.ofHours(1))));
			batch.executeUpdate();
			for (int index = 1; index <= command.requests().size(); index++) {
				UpscaleRequest request = command.requests().get(index - 1);
				items.setString(1, command.batchId());
				items.setInt(2, index);
				items.setString(3, request.sourceGenerationId());
				items.setString(4, request.modelOrDefault());
				items.setObject(5, sceneId(command.batchId(), index));
				items.setString(6, upscaleId(command.batchId(), index));
				items.addBatch();
			}
			items.executeBatch();
		}
		sql.commit();
		List<String> sources = command.requests().stream().map(UpscaleRequest::sourceGenerationId).toList();
		producer.send(new ProducerRecord<>(Topics.BATCH_EVENTS, command.batchId(), UpscaleJson
			.write(new BatchStarted(command.batchId(), sources.size(), sources, UUID.randomUUID().toString(), now))));
	}

	private void work(Connection sql, KafkaProducer<String, String> producer, BatchRequested command) throws Exception {
		String batchId = command.batchId();
		int total = command.requests().size();
		try (PreparedStatement generation = sql.prepareStatement(
				"select status, media_generation_id, profile_id, flow_project_id from generations where id = ?");
				PreparedStatement profile = sql
					.prepareStatement("select logged_in, flow_cookies, cookies_expires_at from profiles where id = ?");
				PreparedStatement upscale = sql.prepareStatement(
						"""
								insert into upscales (id, batch_id, item_index, source_generation_id, profile_id, model, scene_id,
								                      operation_name, flow_project_id, status, created_at, updated_at)
								values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
								""");
				PreparedStatement started = sql.prepareStatement(
						"update batch_items set status = 'started', finished_at = ? where batch_id = ? and item_index = ?");
				PreparedStatement counted = sql
					.prepareStatement("update batches set success_count = success_count + 1 where id = ?")) {
			for (int index = 1; index <= total; index++) {
				UpscaleRequest request = command.requests().get(index - 1);
				generation.setString(1, request.sourceGenerationId());
				String mediaId;
				String profileId;
				String flowProjectId;
				try (ResultSet row = generation.executeQuery()) {
					if (!row.next() || !"completed".equals(row.getString(1)) || row.getString(2) == null) {
						throw new IllegalStateException("Bench generation not usable: " + request.sourceGenerationId());
					}
					mediaId = row.getString(2);
					profileId = row.getString(3);
					flowProjectId = row.getString(4);
				}
				profile.setString(1, profileId);
				try (ResultSet row = profile.executeQuery()) {
					if (!row.next() || !row.getBoolean(1) || row.getBytes(2) == null
							|| row.getTimestamp(3).toInstant().isBefore(Instant.now())) {
						throw new IllegalStateException("Bench profile not usable: " + profileId);
					}
				}
				sql.commit();
				UUID sceneId = sceneId(batchId, index);
				String operationName = start(this.sessions.get(profileId), sceneId.toString(), mediaId,
						request.modelOrDefault(), flowProjectId);
				Instant now = Instant.now();
				String upscaleId = upscaleId(batchId, index);
				upscale.setString(1, upscaleId);
				upscale.setString(2, batchId);
				upscale.setInt(3, index);
				upscale.setString(4, request.sourceGenerationId());
				upscale.setString(5, profileId);
				upscale.setString(6, request.modelOrDefault());
				upscale.setObject(7, sceneId);
				upscale.setString(8, operationName);
				upscale.setString(9, flowProjectId);
				upscale.setTimestamp(10, Timestamp.from(now));
				upscale.setTimestamp(11, Timestamp.from(now));
				upscale.executeUpdate();
				started.setTimestamp(1, Timestamp.from(now));
				started.setString(2, batchId);
				started.setInt(3, index);
				started.executeUpdate();
				counted.setString(1, batchId);
				counted.executeUpdate();
				sql.commit();
				producer.send(new ProducerRecord<>(Topics.BATCH_EVENTS, batchId,
						UpscaleJson.write(ItemProgressed.succeeded(batchId, index, total, request.sourceGenerationId(),
								upscaleId, sceneId.toString(), operationName, UUID.randomUUID().toString(), now))));
				producer.send(new ProducerRecord<>(Topics.OPERATIONS, upscaleId,
						UpscaleJson.write(new UpscaleInitiated(upscaleId, batchId, index, request.sourceGenerationId(),
								profileId, sceneId.toString(), operationName, flowProjectId, request.modelOrDefault(),
								now))));
			}
		}
		Instant now = Instant.now();
		try (PreparedStatement complete = sql
			.prepareStatement("update batches set status = 'completed', completed_at = ? where id = ?")) {
			complete.setTimestamp(1, Timestamp.from(now));
			complete.setString(2, batchId);
			complete.executeUpdate();
		}
		sql.commit();
		producer.send(new ProducerRecord<>(Topics.BATCH_EVENTS, batchId,
				UpscaleJson.write(new BatchCompleted(batchId, total, 0, total, UUID.randomUUID().toString(), now))));
		producer.flush();
	}

	/**
	 * One v2 start call, as flow-client shapes it; the access token is fetched once per
	 * session, as flow-client caches it.
	 */
	private String start(String session, String sceneId, String mediaId, String model, String flowProjectId)
			throws Exception {
		String token = this.accessTokens.computeIfAbsent(session, this::accessToken);
		ObjectNode body = UpscaleJson.mapper().createObjectNode();
		body.putObject("mediaGenerationContext")
			.put("batchId", UUID.nameUUIDFromBytes(("batch:" + sceneId).getBytes(StandardCharsets.UTF_8)).toString());
		body.putObject("clientContext")
			.put("sessionId", ";" + System.currentTimeMillis())
			.put("projectId", flowProjectId)
			.put("tool", "PINHOLE");
		ObjectNode request = body.putArray("requests").addObject();
		request.put("aspectRatio", "VIDEO_ASPECT_RATIO_LANDSCAPE");
		request.put("seed", Math.floorMod(sceneId.hashCode(), 100_000));
		request.putObject("videoInput").put("mediaId", mediaId);
		// Flow lists the seed's default model as deprecated; the worker sends its current
		// key.
		request.put("videoModelKey", "veo_2_1080p_upsampler_8s".equals(model) ? "veo_3_1_upsampler_1080p" : model);
		request.putObject("metadata").put("sceneId", sceneId);
		request.put("resolution", "VIDEO_RESOLUTION_1080P");
		body.put("useV2ModelConfig", true);
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create(this.flowUrl + "/v1/video:batchAsyncGenerateVideoUpsampleVideo"))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.header("Authorization", "Bearer " + token)
				.POST(HttpRequest.BodyPublishers.ofString(UpscaleJson.mapper().writeValueAsString(body)))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Flow refused a bare start: " + response.statusCode() + response.body());
		}
		JsonNode answer = UpscaleJson.mapper().readTree(response.body());
		return answer.path("operations").path(0).path("operation").path("name").asString();
	}

	private String accessToken(String session) {
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(this.flowUrl + "/fx/api/auth/session"))
					.header("Cookie", "__Secure-next-auth.session-token=" + session)
					.build(), HttpResponse.BodyHandlers.ofString());
			return UpscaleJson.mapper().readTree(response.body()).path("access_token").asString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static UUID sceneId(String batchId, int index) {
		return UUID.nameUUIDFromBytes(("scene:" + batchId + ":" + index).getBytes(StandardCharsets.UTF_8));
	}

	private static String upscaleId(String batchId, int index) {
		return UUID.nameUUIDFromBytes(("upscale:" + batchId + ":" + index).getBytes(StandardCharsets.UTF_8)).toString();
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join(10_000);
	}

}
