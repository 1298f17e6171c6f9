package io.veoupscale.gateway.webhook;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchEvent;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.gateway.ApiGatewayApplication;
import io.veoupscale.gateway.testing.WebhookReceiver;
import io.veoupscale.gateway.testing.WebhookReceiver.Received;
import io.veoupscale.store.outbox.BatchEventPublisher;
import io.veoupscale.store.webhook.WebhookSubscriptions;
import io.veoupscale.testsupport.TestInfrastructure;
import io.veoupscale.testsupport.UsesTestInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sending process dies with deliveries in flight and pending: a gateway started
 * afterwards delivers every one of them, in order per batch, the interrupted ones again
 * with their webhook-id. The senders run in gateway processes of their own; this JVM
 * writes the events (through the outbox and relay, its own sender switched off), in a
 * context closed after the test so that no other test shares the JVM with it.
 */
@UsesTestInfrastructure
@SpringBootTest(classes = ApiGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.config.name=api-gateway", "upscale.webhooks.sender.enabled=false",
				"upscale.outbox.poll-interval=200ms" })
@DirtiesContext
class WebhookSenderKillIntegrationTests {

	@Autowired
	WebhookSubscriptions subscriptions;

	@Autowired
	BatchEventPublisher events;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcClient sql;

	@Test
	void deliversEveryPendingDeliveryAfterTheSenderIsKilled() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		CountDownLatch released = new CountDownLatch(1);
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			receiver.respond((request) -> {
				try {
					return released.await(60, TimeUnit.SECONDS) ? 200 : 503;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return 503;
				}
			});
			String subscription = this.subscriptions
				.create(receiver.url("/kill"), List.of(BatchStarted.TYPE, ItemProgressed.TYPE, BatchCompleted.TYPE),
						null, "kill test " + run)
				.subscription()
				.id();
			List<BatchEvent> published = new ArrayList<>();
			for (String batchId : List.of("kill-a-" + run, "kill-b-" + run)) {
				published.add(new BatchStarted(batchId, 5, List.of("g1", "g2", "g3", "g4", "g5"), id(), Instant.now()));
				for (int index = 1; index <= 5; index++) {
					published
						.add(ItemProgressed.failed(batchId, index, 5, "g" + index, "refused", id(), Instant.now()));
				}
				published.add(new BatchCompleted(batchId, 0, 5, 5, id(), Instant.now()));
			}
			published
				.forEach((event) -> this.transactions.executeWithoutResult((status) -> this.events.publish(event)));
			await().atMost(Duration.ofSeconds(30)).until(() -> pending(subscription) == published.size());

			Gateway first = Gateway.start("webhook-sender-1");
			try {
				await().atMost(Duration.ofSeconds(120)).until(() -> receiver.received("/kill").size() >= 2);
			}
			finally {
				first.kill();
			}
			List<Received> interrupted = receiver.received("/kill");
			assertThat(pending(subscription)).isEqualTo(published.size());
			released.countDown();

			Gateway second = Gateway.start("webhook-sender-2");
			try {
				await().atMost(Duration.ofSeconds(120)).until(() -> pending(subscription) == 0);
			}
			finally {
				second.kill();
			}

			assertThat(this.sql
				.sql("select count(*) from webhook_deliveries where subscription_id = :id and status = 'delivered'")
				.param("id", subscription)
				.query(Integer.class)
				.single()).isEqualTo(published.size());
			List<Received> received = receiver.received("/kill");
			for (String batchId : List.of("kill-a-" + run, "kill-b-" + run)) {
				List<String> expected = published.stream()
					.filter((event) -> event.batchId().equals(batchId))
					.map(BatchEvent::eventId)
					.toList();
				LinkedHashSet<String> arrived = received.stream()
					.map(Received::json)
					.filter((event) -> event.get("batchId").asString().equals(batchId))
					.map((event) -> event.get("eventId").asString())
					.collect(Collectors.toCollection(LinkedHashSet::new));
				assertThat(arrived).as(batchId).containsExactlyElementsOf(expected);
			}
			for (Received cut : interrupted) {
				assertThat(received.stream().filter((request) -> request.webhookId().equals(cut.webhookId())))
					.as("the delivery %s cut short by the kill arrives again", cut.webhookId())
					.hasSizeGreaterThanOrEqualTo(2);
			}
		}
	}

	private int pending(String subscription) {
		return this.sql
			.sql("select count(*) from webhook_deliveries where subscription_id = :id and status = 'pending'")
			.param("id", subscription)
			.query(Integer.class)
			.single();
	}

	private static String id() {
		return UUID.randomUUID().toString();
	}

	/**
	 * A gateway in a process of its own, on this JVM's classpath without the test
	 * classes, sending webhooks with a short lease.
	 */
	record Gateway(Process process, Path log) {

		static Gateway start(String name) throws IOException {
			String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
				.filter((entry) -> !entry.endsWith("test-classes"))
				.collect(Collectors.joining(File.pathSeparator));
			List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
					"-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath, ApiGatewayApplication.class.getName()));
			TestInfrastructure.springProperties().forEach((key, value) -> command.add("--" + key + "=" + value));
			Map.of("server.port", "0", "upscale.webhooks.allowed-cidrs", "127.0.0.0/8",
					"upscale.webhooks.sender.threads", "2", "upscale.webhooks.sender.lease", "3s",
					"upscale.webhooks.sender.poll-interval", "100ms", "upscale.webhooks.sender.timeout", "30s",
					"upscale.webhooks.sender.initial-backoff", "200ms")
				.forEach((key, value) -> command.add("--" + key + "=" + value));
			Path log = Path.of("target", name + "-" + UUID.randomUUID() + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			Gateway gateway = new Gateway(process, log);
			await().atMost(Duration.ofSeconds(180))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> !process.isAlive() || Files.readString(log).contains("Started ApiGatewayApplication"));
			assertThat(process.isAlive()).as("gateway %s started; see %s", name, log).isTrue();
			return gateway;
		}

		void kill() throws InterruptedException {
			this.process.destroyForcibly().waitFor();
		}

	}

}
