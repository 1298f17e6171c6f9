package io.veoupscale.store.housekeeping;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.veoupscale.testsupport.Database;
import io.veoupscale.testsupport.TestInfrastructure;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class HousekeepingIntegrationTests {

	private static final Duration HOUR = Duration.ofHours(1);

	private static JdbcClient jdbc;

	private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T10:00:00Z"));

	@BeforeAll
	static void migrate() {
		Database database = TestInfrastructure.database();
		DataSource dataSource = new DriverManagerDataSource(database.jdbcUrl(), database.username(),
				database.password());
		Flyway.configure().dataSource(dataSource).load().migrate();
		jdbc = JdbcClient.create(dataSource);
	}

	@Test
	void runsATaskOnOneInstanceOncePerInterval() {
		Housekeeping first = instance("gateway-1");
		Housekeeping second = instance("gateway-2");
		String task = "purge-" + UUID.randomUUID();
		AtomicInteger runs = new AtomicInteger();

		assertThat(first.runIfDue(task, HOUR, runs::incrementAndGet)).isTrue();
		assertThat(second.runIfDue(task, HOUR, runs::incrementAndGet)).as("another instance within the hour").isFalse();
		this.clock.move(Duration.ofMinutes(30));
		assertThat(first.runIfDue(task, HOUR, runs::incrementAndGet)).as("the same instance within the hour").isFalse();
		this.clock.move(Duration.ofMinutes(30));
		assertThat(second.runIfDue(task, HOUR, runs::incrementAndGet)).isTrue();

		assertThat(runs).hasValue(2);
		first.destroy();
		second.destroy();
	}

	private Housekeeping instance(String owner) {
		return new Housekeeping(jdbc, new HousekeepingProperties(Duration.ofSeconds(60)), this.clock, owner);
	}

	private static final class MovableClock extends Clock {

		private Instant now;

		MovableClock(Instant now) {
			this.now = now;
		}

		void move(Duration by) {
			this.now = this.now.plus(by);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
