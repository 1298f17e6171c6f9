package io.veoupscale.gateway.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.gateway.testing.GatewayClient;
import io.veoupscale.gateway.testing.GatewayClient.Response;
import io.veoupscale.gateway.testing.GatewayIntegrationTest;
import io.veoupscale.gateway.testing.WebhookReceiver;
import io.veoupscale.gateway.testing.WebhookReceiver.Received;
import io.veoupscale.store.outbox.BatchEventPublisher;
import io.veoupscale.store.webhook.WebhookDeliveries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks from the outside: subscriptions registered over HTTP, batches submitted to the
 * gateway (the fake worker writes their events through the real outbox and relay), and a
 * real HTTP receiver on loopback that checks what arrives.
 */
@GatewayIntegrationTest
class WebhookIntegrationTests {

	private static final Duration DELIVERY = Duration.ofSeconds(20);

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient sql;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	BatchEventPublisher events;

	@Autowired
	WebhookDeliveries webhookDeliveries;

	GatewayClient gateway;

	WebhookReceiver receiver;

	String run;

	@BeforeEach
	void setUp() throws Exception {
		this.gateway = new GatewayClient(this.port);
		this.receiver = new WebhookReceiver();
		this.run = UUID.randomUUID().toString().substring(0, 8);
	}

	@AfterEach
	void tearDown() {
		this.sql.sql("delete from webhook_subscriptions where url like :prefix")
			.param("prefix", this.receiver.url("/") + "%")
			.update();
		this.receiver.close();
	}

	@Test
	void deliversStartedEveryProgressAndCompletedOfABatchInOrderSigned() {
		JsonNode subscription = subscribe(Map.of("url", this.receiver.url("/all"), "events",
				List.of(BatchStarted.TYPE, ItemProgressed.TYPE, BatchCompleted.TYPE), "description", "all batches"));
		String secret = subscription.get("secret").asString();
		assertThat(secret).matches("whsec_[A-Za-z0-9+/]+=*");

		String batchId = submit(Map.of("requests",
				List.of(Map.of("sourceGenerationId", "gen-1-" + this.run),
						Map.of("sourceGenerationId", "gen-fail-" + this.run),
						Map.of("sourceGenerationId", "gen-3-" + this.run)),
				"delayMs", 0));

		await().atMost(DELIVERY).until(() -> ofBatch("/all", batchId).size() >= 5);
		List<Received> received = ofBatch("/all", batchId);
		assertThat(received).extracting((request) -> request.json().get("type").asString())
			.containsExactly(BatchStarted.TYPE, ItemProgressed.TYPE, ItemProgressed.TYPE, ItemProgressed.TYPE,
					BatchCompleted.TYPE);
		assertThat(received.subList(1, 4)).extracting((request) -> request.json().get("index").asInt())
			.containsExactly(1, 2, 3);
		assertThat(received).allSatisfy((request) -> {
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.contentType()).startsWith("application/json");
			assertThat(request.webhookId()).matches("msg_[0-9]+");
			assertThat(Long.parseLong(request.timestamp())).isBetween(Instant.now().minusSeconds(60).getEpochSecond(),
					Instant.now().getEpochSecond());
			assertThat(request.verifies(secret)).as("signature of %s", request.webhookId()).isTrue();
			assertThat(request.verifies(GatewayClient.CALLBACK_SECRET)).isFalse();
			assertThat(request.body()).isEqualTo(this.sql.sql("select payload from event_log where event_id = :id")
				.param("id", request.json().get("eventId").asString())
				.query(String.class)
				.single());
		});
		assertThat(received).extracting(Received::webhookId).doesNotHaveDuplicates();

		String id = subscription.get("id").asString();
		await().atMost(DELIVERY)
			.until(() -> deliveries(id).findValues("status")
				.stream()
				.allMatch((s) -> s.asString().equals("delivered")));
		JsonNode deliveries = deliveries(id);
		JsonNode first = deliveries.valueStream()
			.filter((delivery) -> delivery.get("batchId").asString().equals(batchId))
			.filter((delivery) -> delivery.get("eventType").asString().equals(BatchCompleted.TYPE))
			.findFirst()
			.orElseThrow();
		assertThat(first.get("attempts").asInt()).isEqualTo(1);
		assertThat(first.get("lastHttpStatus").asInt()).isEqualTo(200);
		assertThat(first.has("nextAttemptAt")).isFalse();
	}

	@Test
	void retriesAFailingReceiverWithGrowingBackOffAndTheSameWebhookId() {
		String batchId = "wh-retry-" + this.run;
		JsonNode subscription = subscribe(
				Map.of("url", this.receiver.url("/flaky"), "events", List.of(BatchCompleted.TYPE), "batchId", batchId));
		this.receiver.respond((request) -> (this.receiver.received("/flaky").size() <= 3) ? 500 : 204);

		publish(new BatchCompleted(batchId, 1, 0, 1, UUID.randomUUID().toString(), Instant.now()));

		await().atMost(DELIVERY).until(() -> this.receiver.received("/flaky").size() >= 4);
		List<Received> attempts = this.receiver.received("/flaky");
		assertThat(attempts).hasSize(4);
		assertThat(attempts).extracting(Received::webhookId).containsOnly(attempts.get(0).webhookId());
		assertThat(attempts)
			.allSatisfy((request) -> assertThat(request.verifies(subscription.get("secret").asString())).isTrue());
		Duration first = Duration.between(attempts.get(0).at(), attempts.get(1).at());
		Duration second = Duration.between(attempts.get(1).at(), attempts.get(2).at());
		Duration third = Duration.between(attempts.get(2).at(), attempts.get(3).at());
		assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(150));
		assertThat(second).isGreaterThan(first);
		assertThat(third).isGreaterThan(second);

		String id = subscription.get("id").asString();
		await().atMost(DELIVERY).untilAsserted(() -> {
			JsonNode delivery = deliveries(id).get(0);
			assertThat(delivery.get("status").asString()).isEqualTo("delivered");
			assertThat(delivery.get("attempts").asInt()).isEqualTo(4);
			assertThat(delivery.get("lastHttpStatus").asInt()).isEqualTo(204);
			assertThat(delivery.get("id").asString()).isEqualTo(attempts.get(0).webhookId());
		});

		Response redeliver = this.gateway
			.post("/api/v1/webhooks/" + id + "/deliveries/" + attempts.get(0).webhookId() + "/redeliver", "{}");
		assertThat(redeliver.status()).as(redeliver.body()).isEqualTo(202);
		await().atMost(DELIVERY).until(() -> this.receiver.received("/flaky").size() == 5);
		assertThat(this.receiver.received("/flaky").get(4).webhookId()).isEqualTo(attempts.get(0).webhookId());
	}

	@Test
	void recordsTheLastErrorAndTheNextAttemptOfAPendingDelivery() {
		String batchId = "wh-pending-" + this.run;
		JsonNode subscription = subscribe(
				Map.of("url", this.receiver.url("/down"), "events", List.of(BatchStarted.TYPE), "batchId", batchId));
		this.receiver.respond((request) -> 503);

		publish(new BatchStarted(batchId, 1, List.of("gen"), UUID.randomUUID().toString(), Instant.now()));

		String id = subscription.get("id").asString();
		await().atMost(DELIVERY).untilAsserted(() -> {
			JsonNode delivery = deliveries(id).get(0);
			assertThat(delivery.get("status").asString()).isEqualTo("pending");
			assertThat(delivery.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
			assertThat(delivery.get("lastHttpStatus").asInt()).isEqualTo(503);
			assertThat(delivery.get("lastError").asString()).isEqualTo("HTTP 503: answered 503");
			assertThat(delivery.get("nextAttemptAt").asString()).isNotBlank();
		});
	}

	@Test
	void disablesASubscriptionWhoseReceiverAnswersGone() {
		String batchId = "wh-gone-" + this.run;
		JsonNode subscription = subscribe(Map.of("url", this.receiver.url("/gone"), "events",
				List.of(BatchStarted.TYPE, BatchCompleted.TYPE), "batchId", batchId));
		this.receiver.respond((request) -> 410);

		publish(new BatchStarted(batchId, 1, List.of("gen"), UUID.randomUUID().toString(), Instant.now()));
		publish(new BatchCompleted(batchId, 1, 0, 1, UUID.randomUUID().toString(), Instant.now()));

		String id = subscription.get("id").asString();
		await().atMost(DELIVERY).untilAsserted(() -> {
			JsonNode found = this.gateway.get("/api/v1/webhooks/" + id).json().get("data");
			assertThat(found.get("status").asString()).isEqualTo("disabled");
			assertThat(found.get("disabledReason").asString()).contains("410");
		});
		assertThat(deliveries(id).findValues("status")).extracting(JsonNode::asString).containsOnly("failed");
		assertThat(this.receiver.received("/gone")).hasSize(1);
	}

	@Test
	void deliversACallbackUrlThatBatchsEventsAndNoOtherBatchs() {
		subscribe(Map.of("url", this.receiver.url("/probe"), "events", List.of(BatchCompleted.TYPE)));
		String url = this.receiver.url("/callback");
		String withCallback = submit(Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-a-" + this.run),
				Map.of("sourceGenerationId", "gen-b-" + this.run)), "delayMs", 0, "callbackUrl", url));
		String without = submit(
				Map.of("requests", List.of(Map.of("sourceGenerationId", "gen-c-" + this.run)), "delayMs", 0));

		// Once the other batch's last event reached the probe, the relay has derived
		// every
		// delivery its events will ever have.
		await().atMost(DELIVERY).until(() -> !ofBatch("/probe", without).isEmpty());
		await().atMost(DELIVERY).until(() -> ofBatch("/callback", withCallback).size() == 4);

		List<Received> received = this.receiver.received("/callback");
		assertThat(received).extracting((request) -> request.json().get("batchId").asString())
			.containsOnly(withCallback);
		assertThat(received).extracting((request) -> request.json().get("type").asString())
			.containsExactly(BatchStarted.TYPE, ItemProgressed.TYPE, ItemProgressed.TYPE, BatchCompleted.TYPE);
		assertThat(received)
			.allSatisfy((request) -> assertThat(request.verifies(GatewayClient.CALLBACK_SECRET)).as(request.webhookId())
				.isTrue());
		JsonNode callback = this.gateway.get("/api/v1/webhooks")
			.json()
			.get("data")
			.valueStream()
			.filter((subscription) -> subscription.get("url").asString().equals(url))
			.findFirst()
			.orElseThrow();
		assertThat(callback.get("origin").asString()).isEqualTo("callback");
		assertThat(callback.get("batchId").asString()).isEqualTo(withCallback);
		assertThat(deliveries(callback.get("id").asString()).findValues("batchId")).extracting(JsonNode::asString)
			.hasSize(4)
			.containsOnly(withCallback);
	}

	@Test
	void refusesTargetsThatAreNotPublicHttpUrls() {
		for (String url : List.of("http://169.254.169.254/", "http://10.0.0.1/", "file:///etc/passwd",
				"http://100.64.0.1/", "http://[fd00::1]/", "http://[::ffff:10.0.0.1]/", "gopher://example.com/",
				"http://user:pass@example.com/", "http://no-such-host.invalid/")) {
			Response response = this.gateway.post("/api/v1/webhooks",
					Map.of("url", url, "events", List.of(BatchCompleted.TYPE)));
			assertThat(response.status()).as(url + ": " + response.body()).isEqualTo(400);
			assertThat(response.json().get("success").asBoolean()).isFalse();
			assertThat(response.json().get("error").asString()).as(url).startsWith("url ");
		}
		Response metadata = this.gateway.post("/api/v1/webhooks",
				Map.of("url", "http://169.254.169.254/latest/meta-data/", "events", List.of(BatchCompleted.TYPE)));
		assertThat(metadata.json().get("error").asString()).contains("link-local")
			.contains("UPSCALE_WEBHOOKS_ALLOWED_CIDRS");
		Response file = this.gateway.post("/api/v1/webhooks",
				Map.of("url", "file:///etc/passwd", "events", List.of(BatchCompleted.TYPE)));
		assertThat(file.json().get("error").asString()).isEqualTo("url must use http or https, not file");
		Response callback = this.gateway.post("/api/v1/upscale-batches", Map.of("requests",
				List.of(Map.of("sourceGenerationId", "gen-" + this.run)), "callbackUrl", "http://10.0.0.1/hook"));
		assertThat(callback.status()).as(callback.body()).isEqualTo(400);
		assertThat(callback.json().get("error").asString()).startsWith("callbackUrl ").contains("private address");
	}

	@Test
	void refusesUnknownEventsAndMalformedFields() {
		Response unknown = this.gateway.post("/api/v1/webhooks",
				Map.of("url", this.receiver.url("/x"), "events", List.of("veo3:batch:upscale:exploded")));
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.json().get("error").asString()).startsWith("events[0] is not an event type");
		Response empty = this.gateway.post("/api/v1/webhooks",
				Map.of("url", this.receiver.url("/x"), "events", List.of()));
		assertThat(empty.status()).isEqualTo(400);
		Response missing = this.gateway.post("/api/v1/webhooks", Map.of("events", List.of(BatchStarted.TYPE)));
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.json().get("error").asString()).isEqualTo("url must be an http or https URL");
		assertThat(this.gateway.get("/api/v1/webhooks/wh_nothing").status()).isEqualTo(404);
		assertThat(this.gateway.send("DELETE", "/api/v1/webhooks/wh_nothing", null).status()).isEqualTo(404);
	}

	@Test
	void showsTheSecretOnlyWhenTheSubscriptionIsCreated() {
		JsonNode created = subscribe(Map.of("url", this.receiver.url("/secret"), "events", List.of(BatchStarted.TYPE)));
		String id = created.get("id").asString();
		String secret = created.get("secret").asString();

		Response one = this.gateway.get("/api/v1/webhooks/" + id);
		Response list = this.gateway.get("/api/v1/webhooks");
		assertThat(one.status()).isEqualTo(200);
		assertThat(one.json().get("data").get("url").asString()).isEqualTo(this.receiver.url("/secret"));
		assertThat(one.json().get("data").has("secret")).isFalse();
		assertThat(one.body()).doesNotContain(secret.substring(6));
		assertThat(list.body()).contains(id).doesNotContain(secret.substring(6));
		byte[] stored = this.sql.sql("select secret from webhook_subscriptions where id = :id")
			.param("id", id)
			.query(byte[].class)
			.single();
		assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
			.doesNotContain(secret.substring(6));

		Response deleted = this.gateway.send("DELETE", "/api/v1/webhooks/" + id, null);
		assertThat(deleted.status()).isEqualTo(200);
		assertThat(this.gateway.get("/api/v1/webhooks/" + id).status()).isEqualTo(404);
	}

	@Test
	void deletesDeliveriesSentLongerAgoThanTheRetention() {
		String batchId = "wh-retention-" + this.run;
		JsonNode subscription = subscribe(
				Map.of("url", this.receiver.url("/kept"), "events", List.of(BatchStarted.TYPE), "batchId", batchId));
		publish(new BatchStarted(batchId, 1, List.of("gen"), UUID.randomUUID().toString(), Instant.now()));
		String id = subscription.get("id").asString();
		await().atMost(DELIVERY)
			.until(() -> deliveries(id).findValues("status")
				.stream()
				.anyMatch((s) -> s.asString().equals("delivered")));

		this.webhookDeliveries.deleteFinishedBefore(Duration.ofDays(1));
		assertThat(deliveries(id)).hasSize(1);
		await().pollDelay(Duration.ofMillis(10)).atMost(DELIVERY).until(() -> {
			this.webhookDeliveries.deleteFinishedBefore(Duration.ofMillis(1));
			return deliveries(id).isEmpty();
		});
	}

	@Test
	void describesWebhooksAndCallbackUrlInTheApiDocument() {
		JsonNode document = this.gateway.get("/v3/api-docs").json();
		assertThat(document.get("paths").propertyNames()).contains("/api/v1/webhooks", "/api/v1/webhooks/{id}",
				"/api/v1/webhooks/{id}/deliveries", "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver");
		assertThat(document.get("components").get("schemas").get("BatchRequest").get("properties").propertyNames())
			.contains("callbackUrl");
		assertThat(document.get("components").get("schemas").propertyNames()).contains("WebhookSubscriptionRequest");
	}

	private JsonNode subscribe(Map<String, Object> body) {
		Response response = this.gateway.post("/api/v1/webhooks", body);
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json().get("data");
	}

	private String submit(Map<String, Object> body) {
		Response response = this.gateway.post("/api/v1/upscale-batches", body);
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		return response.json().get("data").get("batchId").asString();
	}

	private JsonNode deliveries(String subscriptionId) {
		Response response = this.gateway.get("/api/v1/webhooks/" + subscriptionId + "/deliveries");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json().get("data");
	}

	private List<Received> ofBatch(String path, String batchId) {
		return this.receiver.received(path)
			.stream()
			.filter((request) -> request.json().get("batchId").asString().equals(batchId))
			.toList();
	}

	private void publish(io.veoupscale.events.BatchEvent event) {
		this.transactions.executeWithoutResult((status) -> this.events.publish(event));
	}

}
