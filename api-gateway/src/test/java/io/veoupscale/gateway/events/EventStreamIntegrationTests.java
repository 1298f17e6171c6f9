package io.veoupscale.gateway.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;

import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.GatewayIntegrationTest;
import io.veoupscale.gateway.testing.SseStream;
import io.veoupscale.gateway.testing.SseStream.Frame;
import io.veoupscale.store.TopicProperties;
import io.veoupscale.store.outbox.BatchEventPublisher;
import org.apache.catalina.connector.Connector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events over SSE on the real broker and database: live delivery as
 * {@code id:}/{@code event:}/{@code data:} frames, replay after a reconnect with
 * {@code Last-Event-ID}, the batch filter, heartbeats, many streams without a thread
 * each, and the event log's retention.
 */
@GatewayIntegrationTest
class EventStreamIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	BatchEventPublisher publisher;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcClient sql;

	@Autowired
	LiveEventConsumer consumer;

	@Autowired
	EventHub hub;

	@Autowired
	EventLog eventLog;

	@Autowired
	ApplicationContext context;

	@Autowired
	KafkaAdmin kafkaAdmin;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	TopicProperties topics;

	GatewayClient gateway;

	String batchId;

	final List<SseStream> streams = new ArrayList<>();

	@BeforeEach
	void setUp() {
		this.gateway = new GatewayClient(this.port);
		this.batchId = "batch-" + UUID.randomUUID();
		await().atMost(WAIT).until(this.consumer::isAssigned);
	}

	@AfterEach
	void closeStreams() {
		this.streams.forEach(SseStream::close);
	}

	@Test
	void streamsLiveEventsAsFramesWithTheEventLogSequenceAsId() {
		SseStream stream = open("?batchId=" + this.batchId, null);
		BatchEvent started = started();
		BatchEvent progress = progress(1);

		publish(started, progress);

		await().atMost(WAIT).until(() -> stream.frames().size() == 2);
		assertThat(stream.frames().get(0)).isEqualTo(logged(started));
		assertThat(stream.frames().get(1)).isEqualTo(logged(progress));
		assertThat(stream.frames().get(1).event()).isEqualTo("veo3:batch:upscale:progress");
		assertThat(Long.parseLong(stream.frames().get(1).id()))
			.isGreaterThan(Long.parseLong(stream.frames().get(0).id()));
		assertThat(stream.info().statusCode()).isEqualTo(200);
		assertThat(stream.info().headers().firstValue("Content-Type"))
			.hasValueSatisfying((contentType) -> assertThat(contentType).startsWith("text/event-stream"));
	}

	@Test
	void replaysWhatAReconnectingClientMissedThenDeliversLiveEventsOnce() {
		SseStream first = open("?batchId=" + this.batchId, null);
		publish(started(), progress(1));
		await().atMost(WAIT).until(() -> first.frames().size() == 2);
		String lastEventId = first.frames().get(1).id();
		first.close();
		BatchEvent missedOne = progress(2);
		BatchEvent missedTwo = progress(3);
		publish(missedOne, missedTwo);

		SseStream second = open("?batchId=" + this.batchId, lastEventId);
		await().atMost(WAIT).until(() -> second.frames().size() == 2);
		BatchEvent live = progress(4);
		publish(live);

		await().atMost(WAIT).until(() -> second.frames().size() >= 3);
		await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> second.frames().size() == 3);
		assertThat(second.frames()).containsExactly(logged(missedOne), logged(missedTwo), logged(live));
	}

	@Test
	void replaysEveryBatchWithoutAFilter() {
		SseStream probe = open("?batchId=" + this.batchId, null);
		publish(started());
		await().atMost(WAIT).until(() -> probe.frames().size() == 1);
		String before = probe.frames().get(0).id();
		String otherBatch = "batch-" + UUID.randomUUID();
		BatchEvent mine = progress(1);
		BatchEvent other = new BatchStarted(otherBatch, 1, List.of("gen"), UUID.randomUUID().toString(), Instant.now());
		publish(mine, other);

		SseStream all = open("", before);

		await().atMost(WAIT).until(() -> !all.framesOf(otherBatch).isEmpty() && !all.framesOf(this.batchId).isEmpty());
		assertThat(all.framesOf(this.batchId)).containsExactly(logged(mine));
		assertThat(all.framesOf(otherBatch)).containsExactly(logged(other));
	}

	@Test
	void sendsOnlyTheRequestedBatch() {
		SseStream stream = open("?batchId=" + this.batchId, null);
		BatchEvent other = new BatchStarted("batch-" + UUID.randomUUID(), 1, List.of("gen"),
				UUID.randomUUID().toString(), Instant.now());
		BatchEvent mine = started();

		publish(other, mine);

		await().atMost(WAIT).until(() -> !stream.frames().isEmpty());
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> stream.frames().size() == 1);
		assertThat(stream.frames()).containsExactly(logged(mine));
	}

	@Test
	void keepsIdleStreamsOpenWithHeartbeatComments() {
		SseStream stream = open("?batchId=" + this.batchId, null);

		await().atMost(WAIT).until(() -> stream.comments().contains("heartbeat"));
		assertThat(stream.comments()).startsWith("connected");
		assertThat(stream.lines()).anyMatch((line) -> line.startsWith("retry:"));
	}

	@Test
	void servesHundredsOfStreamsWithoutHoldingARequestThreadEach() {
		int baseline = this.hub.streams();
		int count = 200;
		for (int i = 0; i < count; i++) {
			this.streams.add(SseStream.open(this.gateway, "?batchId=" + this.batchId, null));
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.streams.stream().allMatch((stream) -> stream.comments().contains("connected")));

		assertThat(this.hub.streams()).isGreaterThanOrEqualTo(count);
		await().atMost(WAIT).until(() -> requestThreadsBusy() <= 5);
		BatchEvent event = started();
		publish(event);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.streams.stream().allMatch((stream) -> stream.frames().contains(logged(event))));
		this.streams.forEach(SseStream::close);
		await().atMost(WAIT).until(() -> this.hub.streams() <= baseline);
	}

	@Test
	void rejectsALastEventIdThatIsNotANumber() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.gateway.base() + "/api/v1/events"))
			.header("Accept", "text/event-stream")
			.header("Authorization", "Bearer " + GatewayClient.API_KEY)
			.header("Last-Event-ID", "yesterday")
			.build();

		HttpResponse<String> response = this.gateway.http().send(request, HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo(
				"{\"success\":false,\"error\":\"Last-Event-ID must be the number of the last event received (the id: of its frame)\"}");
	}

	@Test
	void streamsEventsOfPartitionsAddedToTheTopicWhileRunning() throws Exception {
		SseStream stream = open("?batchId=" + this.batchId, null);
		int added;
		try (Admin admin = Admin.create(this.kafkaAdmin.getConfigurationProperties())) {
			String topic = this.topics.batchEvents();
			int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
			admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions + 1))).all().get();
			added = partitions;
		}
		String payload = UpscaleJson.mapper().writeValueAsString(started());
		ProducerRecord<String, String> record = new ProducerRecord<>(this.topics.batchEvents(), added, this.batchId,
				payload);
		record.headers().add(BatchEventPublisher.SEQUENCE_HEADER, "987654321".getBytes(StandardCharsets.US_ASCII));

		// Sent at once, before the consumer learns of the partition: it reads the new
		// partition from its beginning.
		this.kafka.send(record).get();

		await().atMost(WAIT).until(() -> !stream.frames().isEmpty());
		assertThat(stream.frames()).containsExactly(new Frame("987654321", BatchStarted.TYPE, payload));
	}

	@Test
	void deletesEventsOlderThanTheRetentionOnly() {
		String old = UUID.randomUUID().toString();
		String recent = UUID.randomUUID().toString();
		insertLogged(old, Instant.now().minus(Duration.ofHours(49)));
		insertLogged(recent, Instant.now().minus(Duration.ofHours(47)));

		this.eventLog.deleteExpired();

		assertThat(this.sql.sql("select event_id from event_log where event_id in (:ids)")
			.param("ids", List.of(old, recent))
			.query(String.class)
			.list()).containsExactly(recent);
	}

	/**
	 * Opens a stream and waits until the gateway has registered it.
	 */
	private SseStream open(String query, String lastEventId) {
		SseStream stream = SseStream.open(this.gateway, query, lastEventId);
		this.streams.add(stream);
		await().atMost(WAIT).until(() -> stream.comments().contains("connected"));
		return stream;
	}

	private BatchEvent started() {
		return new BatchStarted(this.batchId, 4, List.of("g1", "g2", "g3", "g4"), UUID.randomUUID().toString(),
				Instant.now());
	}

	private BatchEvent progress(int index) {
		return ItemProgressed.succeeded(this.batchId, index, 4, "g" + index, "upscale-" + index, "scene-" + index,
				"op-" + index, UUID.randomUUID().toString(), Instant.now());
	}

	private void publish(BatchEvent... events) {
		this.transactions.executeWithoutResult((status) -> {
			for (BatchEvent event : events) {
				this.publisher.publish(event);
			}
		});
	}

	/**
	 * The frame an event must arrive as: its event-log sequence, its type and its payload
	 * exactly as logged.
	 */
	private Frame logged(BatchEvent event) {
		return this.sql.sql("select seq, type, payload from event_log where event_id = :id")
			.param("id", event.eventId())
			.query((rs, row) -> new Frame(Long.toString(rs.getLong("seq")), rs.getString("type"),
					rs.getString("payload")))
			.single();
	}

	private void insertLogged(String eventId, Instant occurredAt) {
		this.sql.sql("""
				insert into event_log (event_id, batch_id, type, payload, occurred_at)
				values (:id, :batchId, 'veo3:batch:upscale:started', '{}', :at)
				""")
			.param("id", eventId)
			.param("batchId", this.batchId)
			.param("at", Timestamp.from(occurredAt))
			.update();
	}

	private int requestThreadsBusy() {
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) this.context).getWebServer();
		Connector connector = server.getTomcat().getConnector();
		Executor executor = connector.getProtocolHandler().getExecutor();
		return ((org.apache.tomcat.util.threads.ThreadPoolExecutor) executor).getActiveCount();
	}

}
