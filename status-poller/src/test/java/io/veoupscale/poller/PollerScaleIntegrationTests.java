package io.veoupscale.poller;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.veoupscale.events.UpscaleFinished;
import io.veoupscale.events.UpscaleInitiated;
import io.veoupscale.testsupport.EventsProbe;
import io.veoupscale.testsupport.SimulatorAdmin.CheckCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several pollers sharing the work through leases: none checks an operation another
 * holds, all operations end once, and a poller that stops mid-lease leaves nothing
 * behind.
 */
class PollerScaleIntegrationTests {

	private PollerTestSystem system;

	private EventsProbe events;

	private String group;

	@BeforeEach
	void start() {
		this.system = new PollerTestSystem("1500ms");
		this.events = EventsProbe.start();
		this.group = "pollers-" + UUID.randomUUID();
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.events.close();
		this.system.close();
	}

	@Test
	void twoPollersShareFiveHundredOperationsWithoutCheckingOneTwiceAtOnce() {
		ConfigurableApplicationContext first = this.system
			.startPoller(Map.of("spring.kafka.consumer.group-id", this.group, "upscale.poller.claim-batch-size", "50"));
		ConfigurableApplicationContext second = this.system
			.startPoller(Map.of("spring.kafka.consumer.group-id", this.group, "upscale.poller.claim-batch-size", "50"));
		String profile = this.system.newProfile();

		List<UpscaleInitiated> operations = this.system.initiateMany(profile, 500);

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(this.system.completed(operations)).isEqualTo(500));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(operations).allSatisfy(
					(operation) -> assertThat(this.events.of(operation.batchId(), UpscaleFinished.class)).hasSize(1)));
		Map<String, Instant> lastCheck = new HashMap<>();
		String account = this.system.accountOf(profile);
		for (CheckCall check : this.system.flow.checks()) {
			if (!account.equals(check.account())) {
				continue;
			}
			for (String name : check.names()) {
				Instant previous = lastCheck.put(name, check.receivedAt());
				if (previous != null) {
					assertThat(Duration.between(previous, check.receivedAt())).as("checks of %s", name)
						.isGreaterThanOrEqualTo(Duration.ofMillis(200));
				}
			}
		}
		assertThat(checksBy(first)).isPositive();
		assertThat(checksBy(second)).isPositive();
	}

	@Test
	void anotherPollerFinishesWhatAStoppedOneHeldOnceItsLeaseRunsOut() {
		ConfigurableApplicationContext stopped = this.system
			.startPoller(Map.of("spring.kafka.consumer.group-id", this.group, "upscale.poller.lease-duration", "3s"));
		String profile = this.system.newProfile();
		this.system.flow.addFault(Map.of("target", "check", "kind", "latency", "latencyMs", 3000, "times", 0, "account",
				this.system.accountOf(profile)));
		List<UpscaleInitiated> operations = this.system.initiateMany(profile, 20);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.system.leased(operations) > 0);

		stopped.close();
		this.system.flow.clearFaults();
		ConfigurableApplicationContext successor = this.system
			.startPoller(Map.of("spring.kafka.consumer.group-id", this.group));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.system.completed(operations)).isEqualTo(20));
		assertThat(successor.getBean(MeterRegistry.class).counter("upscale.poller.leases.expired").count())
			.isPositive();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(operations).allSatisfy(
					(operation) -> assertThat(this.events.of(operation.batchId(), UpscaleFinished.class)).hasSize(1)));
	}

	private static double checksBy(ConfigurableApplicationContext poller) {
		return poller.getBean(MeterRegistry.class).counter("upscale.poller.checks").count();
	}

}
