package io.veoupscale.poller;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.veoupscale.events.Topics;
import io.veoupscale.events.UpscaleFinished;
import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.SimulatorAdmin.CheckCall;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The poller against the real broker, PostgreSQL and the Flow simulator: every end an
 * upscale can reach, checks until the deadline, a stop and start, and records delivered
 * twice.
 */
class OperationTrackingIntegrationTests {

	private static PollerTestSystem system;

	private static EventsProbe events;

	private static ConfigurableApplicationContext poller;

	@BeforeAll
	static void start() {
		system = new PollerTestSystem("1500ms");
		poller = system.startPoller(Map.of("upscale.poller.deadline", "4s"));
		events = EventsProbe.start();
	}

	@AfterAll
	static void stop() throws InterruptedException {
		events.close();
		system.close();
	}

	@Test
	void completesAnUpscaleWithItsVideoUrlAndPublishesItOnce() {
		UpscaleInitiated initiated = system.initiate(system.newProfile(), null);

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(system.statusOf(initiated.upscaleId())).startsWith("completed http://")
				.contains("/media/"));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(events.of(initiated.batchId(), UpscaleFinished.class)).singleElement()
				.satisfies((finished) -> {
					assertThat(finished.status()).isEqualTo("completed");
					assertThat(finished.upscaleId()).isEqualTo(initiated.upscaleId());
					assertThat(finished.videoUrl()).contains("/media/", "?Expires=");
				}));
		assertThat(system.scheduled(List.of(initiated))).as("no longer scheduled").isZero();
		assertThat(system.videoUrlDated(initiated.upscaleId())).as("a URL is dated: it expires").isTrue();
		assertThat(system.creditsOf(initiated.profileId())).as("the credits each check reports are kept")
			.isEqualTo(240);
		assertThat(system.bean(MeterRegistry.class)
			.get("upscale.poller.completion.time")
			.tag("status", "completed")
			.timer()
			.count()).isPositive();
		assertThat(system.bean(MeterRegistry.class)
			.get("upscale.poller.operations.in.flight")
			.tag("status", "processing")
			.gauge()).isNotNull();
	}

	@Test
	void failsAnUpscaleFlowFailedWithItsReasons() {
		String profile = system.newProfile();
		system.flow.addFault(Map.of("target", "start", "kind", "failOperation", "account", system.accountOf(profile),
				"failureReasons", List.of("PROMINENT_PERSON")));
		UpscaleInitiated initiated = system.initiate(profile, null);

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(system.statusOf(initiated.upscaleId()))
				.isEqualTo("failed Upscale failed at Flow: PROMINENT_PERSON"));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(events.of(initiated.batchId(), UpscaleFinished.class)).singleElement()
				.satisfies((finished) -> assertThat(finished.error()).contains("PROMINENT_PERSON")));
	}

	@Test
	void endsACanceledAndACompleteUpscaleAtTheirFirstCheckRatherThanTheDeadline() {
		String profile = system.newProfile();
		UpscaleInitiated canceled = system.initiate(profile, null);
		UpscaleInitiated complete = system.initiate(profile, null);
		system.flow.reportStatus(canceled.operationName(), "MEDIA_GENERATION_STATUS_CANCELED");
		system.flow.reportStatus(complete.operationName(), "MEDIA_GENERATION_STATUS_COMPLETE");

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(events.of(canceled.batchId(), UpscaleFinished.class)).singleElement()
				.satisfies((finished) -> assertThat(finished.error())
					.isEqualTo("Upscale failed at Flow: MEDIA_GENERATION_STATUS_CANCELED")));
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(events.of(complete.batchId(), UpscaleFinished.class)).singleElement()
				.satisfies((finished) -> {
					assertThat(finished.status()).isEqualTo("completed");
					assertThat(finished.videoUrl()).startsWith("http://").contains("/media/");
				}));
		assertThat(system.statusOf(complete.upscaleId())).startsWith("completed http://");
	}

	@Test
	void failsAnUpscaleThatNeverFinishesAtItsDeadline() {
		UpscaleInitiated initiated = system.initiate(system.newProfile(), "never-finishes-" + UUID.randomUUID());

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(system.statusOf(initiated.upscaleId()))
				.startsWith("failed Upscale did not finish within"));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(events.of(initiated.batchId(), UpscaleFinished.class)).singleElement()
				.satisfies((finished) -> {
					assertThat(finished.status()).isEqualTo("failed");
					assertThat(finished.upscaleId()).isEqualTo(initiated.upscaleId());
					assertThat(finished.error()).startsWith("Upscale did not finish within");
				}));
		assertThat(system.scheduled(List.of(initiated))).as("no longer scheduled").isZero();
	}

	@Test
	void tracksAnOperationDeliveredTwiceOnce() {
		UpscaleInitiated initiated = system.initiate(system.newProfile(), null);
		system.publish(initiated);

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(system.statusOf(initiated.upscaleId())).startsWith("completed"));
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(events.of(initiated.batchId(), UpscaleFinished.class)).hasSize(1));
	}

	@Test
	void checksAnOperationFromItsFirstDelayUntilItsDeadlineEndsIt() {
		UpscaleInitiated initiated = system.initiate(system.newProfile(), "slow-" + UUID.randomUUID());

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(system.statusOf(initiated.upscaleId()))
				.startsWith("failed Upscale did not finish within"));
		List<Instant> checks = system.flow.checks()
			.stream()
			.filter((check) -> check.names().contains(initiated.operationName()))
			.map(CheckCall::receivedAt)
			.toList();
		// When each check falls is CheckScheduleTests' to say; here: checks happen, none
		// before the first delay, the last at the deadline.
		assertThat(checks).hasSizeGreaterThanOrEqualTo(4).isSorted();
		assertThat(checks.get(0)).isAfterOrEqualTo(initiated.initiatedAt().plusMillis(200));
		assertThat(checks.get(checks.size() - 1)).isAfterOrEqualTo(initiated.initiatedAt().plusSeconds(4));
	}

	@Test
	void sendsARecordThatIsNotAnInitiatedUpscaleToTheDeadLetterTopicAndGoesOn() {
		String key = "not-an-upscale-" + UUID.randomUUID();
		system.publish(key, "{\"type\":\"veo3:upscale:initiated\",\"upscaleId\":");

		ConsumerRecord<String, String> deadLetter = system.deadLetter(key);
		assertThat(header(deadLetter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(Topics.OPERATIONS);
		assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN)).endsWith("ConversionException");
		assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).isNotBlank();
		UpscaleInitiated initiated = system.initiate(system.newProfile(), null);
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(system.statusOf(initiated.upscaleId())).startsWith("completed"));
	}

	@Test
	void cancelsAtFlowAnUpscaleTrackedWhileItsBatchIsBeingCancelled() throws Exception {
		UpscaleInitiated initiated = system.seed(system.newProfile(), null);
		try (Connection cancel = system.bean(DataSource.class).getConnection()) {
			// A cancel with upstream=true, not yet committed when the record arrives.
			cancel.setAutoCommit(false);
			try (PreparedStatement update = cancel.prepareStatement("""
					update batches set control = 'cancelling', control_at = now(), cancel_upstream = true
					where id = ?""")) {
				update.setString(1, initiated.batchId());
				assertThat(update.executeUpdate()).isOne();
			}
			system.publish(initiated);
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(3))
				.until(() -> system.scheduled(List.of(initiated)) == 0);
			cancel.commit();
		}

		await().atMost(Duration.ofSeconds(15))
			.until(() -> system.flow.cancels()
				.stream()
				.anyMatch((call) -> call.mediaId().equals(initiated.operationName()) && call.cancelled()));
	}

	@Test
	void checksAgainOnceStoppedAndStarted() {
		poller.stop();
		poller.start();
		UpscaleInitiated initiated = system.initiate(system.newProfile(), null);

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(system.statusOf(initiated.upscaleId())).startsWith("completed http://"));
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		Header header = record.headers().lastHeader(name);
		assertThat(header).as(name).isNotNull();
		return new String(header.value(), StandardCharsets.UTF_8);
	}

}
