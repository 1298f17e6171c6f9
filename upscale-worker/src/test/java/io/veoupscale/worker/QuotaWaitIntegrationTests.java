package io.veoupscale.worker;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.SimulatorAdmin.StartCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code upscale.worker.accounts.quota-held-items=wait}: the items of a profile whose
 * quota is spent wait, without a call, until the quota resets, and then go on.
 */
class QuotaWaitIntegrationTests {

	private static final MovableClock quotaClock = new MovableClock();

	private static WorkerTestSystem system;

	private static EventsProbe events;

	@BeforeAll
	static void start() {
		system = new WorkerTestSystem();
		system.startWorker(Map.of("upscale.worker.accounts.quota-held-items", "wait"), quotaClock);
		events = EventsProbe.start();
	}

	@AfterAll
	static void stop() throws InterruptedException {
		events.close();
		system.close();
	}

	@Test
	void keepsTheItemsOfAQuotaSpentProfileWaitingWithoutACallUntilTheResetThenStartsThem() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String account = system.profile(run);
		system.flow.configureAccount(account, Map.of("dailyQuota", 1));
		List<String> sources = system.completedGenerations(run, 3);

		String batchId = system.requestBatch(sources, 0);

		await().atMost(Duration.ofSeconds(30)).until(() -> startsOf(account).size() == 2);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(startsOf(account)).extracting(StartCall::outcome).containsExactly("accepted", "429");
			assertThat(events.of(batchId, ItemProgressed.class)).hasSize(1);
		});
		assertThat(system.sql()
			.sql("select status from batch_items where batch_id = :id order by item_index")
			.param("id", batchId)
			.query(String.class)
			.list()).containsExactly("started", "pending", "pending");

		system.flow.advanceClock(untilAfterMidnight(system.flow.now()));
		quotaClock.advance(untilAfterMidnight(quotaClock.instant()));
		system.flow.configureAccount(account, Map.of("dailyQuota", 10));

		await().atMost(Duration.ofSeconds(30)).until(() -> !events.of(batchId, BatchCompleted.class).isEmpty());
		assertThat(events.of(batchId, ItemProgressed.class)).allMatch(ItemProgressed::success);
		assertThat(startsOf(account)).extracting(StartCall::outcome)
			.filteredOn((outcome) -> !"401".equals(outcome))
			.containsExactly("accepted", "429", "accepted", "accepted");
	}

	private static Duration untilAfterMidnight(Instant now) {
		Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC)
			.plusDays(1)
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant();
		return Duration.between(now, midnight).plusSeconds(1);
	}

	private static List<StartCall> startsOf(String account) {
		return system.flow.starts().stream().filter((start) -> account.equals(start.account())).toList();
	}

}
