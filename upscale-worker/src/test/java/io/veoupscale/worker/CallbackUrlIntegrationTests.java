package io.veoupscale.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batch request produced straight to Kafka with a callbackUrl: the worker subscribes
 * the URL to that batch's events as it stores the batch, so the relay derives a webhook
 * delivery for each of them (the gateway's senders post them).
 */
class CallbackUrlIntegrationTests {

	private static WorkerTestSystem system;

	@BeforeAll
	static void start() {
		system = new WorkerTestSystem();
		system.startWorker(Map.of());
	}

	@AfterAll
	static void stop() {
		system.close();
	}

	@Test
	void subscribesTheCallbackUrlOfABatchFromKafkaToItsEventsOnly() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String account = system.profile(run);
		List<String> sources = system.completedGenerations(account, 2);
		String url = "https://hooks.example.com/" + run;
		String batchId = "cb-" + run;
		String other = "cb-other-" + run;
		system.send(batchId, UpscaleJson.write(new BatchRequested(batchId,
				sources.stream().map((id) -> new UpscaleRequest(id, null)).toList(), 0, Instant.now(), url)));
		system.send(other, UpscaleJson
			.write(new BatchRequested(other, List.of(new UpscaleRequest(sources.get(0), null)), 0, Instant.now())));

		await().atMost(Duration.ofSeconds(60)).until(() -> completedLogged(batchId) && completedLogged(other));

		assertThat(system.sql()
			.sql("select origin || ' ' || coalesce(batch_id, '-') || ' ' || status from webhook_subscriptions where url = :url")
			.param("url", url)
			.query(String.class)
			.list()).containsExactly("callback " + batchId + " active");
		assertThat(system.sql().sql("""
				select d.event_type from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
				where s.url = :url order by d.event_seq
				""").param("url", url).query(String.class).list()).containsExactly(BatchStarted.TYPE,
				ItemProgressed.TYPE, ItemProgressed.TYPE, BatchCompleted.TYPE);
		assertThat(system.sql()
			.sql("""
					select distinct d.batch_id from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
					where s.url = :url
					""")
			.param("url", url)
			.query(String.class)
			.list()).containsExactly(batchId);
	}

	@Test
	void ignoresACallbackUrlThatIsNotHttp() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String account = system.profile(run);
		List<String> sources = system.completedGenerations(account, 1);
		String batchId = "cb-file-" + run;
		system.send(batchId, UpscaleJson.write(new BatchRequested(batchId,
				List.of(new UpscaleRequest(sources.get(0), null)), 0, Instant.now(), "file:///etc/passwd")));

		await().atMost(Duration.ofSeconds(60)).until(() -> completedLogged(batchId));
		assertThat(system.sql()
			.sql("select count(*) from webhook_subscriptions where batch_id = :batchId")
			.param("batchId", batchId)
			.query(Integer.class)
			.single()).isZero();
	}

	private static boolean completedLogged(String batchId) {
		return system.sql()
			.sql("select count(*) from event_log where batch_id = :batchId and type = :type")
			.param("batchId", batchId)
			.param("type", BatchCompleted.TYPE)
			.query(Integer.class)
			.single() == 1;
	}

}
