package io.veoupscale.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.veoupscale.poller.StatusPollerApplication;
import io.veoupscale.simulator.SimulatedAccounts;
import io.veoupscale.store.profile.FlowCookies;
import io.veoupscale.store.profile.ProfileRepository;
import io.veoupscale.testsupport.Database;
import io.veoupscale.testsupport.Services;
import io.veoupscale.testsupport.TestInfrastructure;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/**
 * How many operations in flight one status poller checks and reschedules per second, set
 * against a bare JDBC loop doing the same claim and update on the same database. 100,000
 * operations are seeded in PostgreSQL and made known to a Flow simulator (its own JVM)
 * that answers at once that they are still running; every check schedules the next one a
 * second later, so the backlog never runs dry. Each side runs a warm-up, then a fixed
 * window in which the {@code checks} column tells how many operations were checked and
 * updated.
 */
final class PollerBenchmark {

	private static final int OPERATIONS = 100_000;

	private static final int PROFILES = 4;

	private static final int CLAIM_BATCH_SIZE = 500;

	private static final Duration WARM_UP = Duration.ofSeconds(5);

	private static final Duration WINDOW = Duration.ofSeconds(15);

	private static final Duration RECHECK = Duration.ofSeconds(1);

	private static final String CLAIM = """
			update operation_checks c
			set leased_by = ?, leased_until = ?, version = c.version + 1
			from (select upscale_id from operation_checks
			      where next_check_at <= ? and (leased_until is null or leased_until < ?)
			      order by next_check_at
			      limit ?
			      for update skip locked) due
			where c.upscale_id = due.upscale_id
			returning c.upscale_id
			""";

	private static final String RESCHEDULE = """
			update operation_checks c
			set next_check_at = ?, checks = c.checks + 1, consecutive_errors = 0, last_error = null,
			    leased_by = null, leased_until = null, version = c.version + 1
			from unnest(?::varchar[]) as done(upscale_id)
			where c.upscale_id = done.upscale_id and c.leased_by = ?
			""";

	private PollerBenchmark() {
	}

	static void run(String[] args) throws Exception {
		Database database = TestInfrastructure.database();
		SimulatorProcess simulator = SimulatorProcess.start("--flow.simulator.pending-for=0s",
				"--flow.simulator.complete-after=24h");
		int simulatorPort = simulator.port();
		String flowUrl = simulator.url();
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("flow.api-base-url", flowUrl);
		properties.put("flow.labs-base-url", flowUrl + "/fx");
		properties.put("upscale.poller.claim-batch-size", String.valueOf(CLAIM_BATCH_SIZE));
		properties.put("upscale.poller.check-interval", RECHECK.toMillis() + "ms");
		properties.put("upscale.poller.max-check-interval", RECHECK.toMillis() + "ms");
		properties.put("logging.level.root", "WARN");
		properties.put("spring.kafka.consumer.group-id", "bench-" + UUID.randomUUID());
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (arg.startsWith("--") && equals > 0) {
				properties.put(arg.substring(2, equals), arg.substring(equals + 1));
			}
		}
		ConfigurableApplicationContext poller = null;
		try (Connection sql = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				database.password())) {
			poller = Services.run(StatusPollerApplication.builder(), properties);
			seed(sql, poller.getBean(ProfileRepository.class), new SimulatorAdmin(simulatorPort));

			makeAllDue(sql);
			Result polled = measure(sql);
			poller.close();
			poller = null;

			makeAllDue(sql);
			Result bare;
			try (Connection loopConnection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
					database.password())) {
				BareLoop loop = new BareLoop(loopConnection);
				Thread thread = new Thread(loop, "bare-loop");
				thread.start();
				bare = measure(sql);
				loop.stop();
				thread.join();
			}

			System.out.println();
			System.out.printf(
					"Poller benchmark: %,d operations in flight, %d profiles, claims of %d, "
							+ "Flow simulator answering at once, %ds window after %ds warm-up%n",
					OPERATIONS, PROFILES, CLAIM_BATCH_SIZE, WINDOW.toSeconds(), WARM_UP.toSeconds());
			System.out.printf("%-22s %-12s %-10s %-14s%n", "loop", "operations", "seconds", "operations/s");
			print("status poller", polled);
			print("bare SQL loop", bare);
			System.out.printf("poller / bare loop = %.2f%n", polled.perSecond() / bare.perSecond());
		}
		finally {
			if (poller != null) {
				poller.close();
			}
			simulator.close();
		}
	}

	private static void print(String name, Result result) {
		System.out.printf("%-22s %-12d %-10.2f %-14.0f%n", name, result.operations(), result.seconds(),
				result.perSecond());
	}

	/**
	 * Operations in flight as a worker leaves them, spread over a few profiles, not yet
	 * due; the same names are made known to the simulator as running.
	 */
	private static void seed(Connection sql, ProfileRepository profiles, SimulatorAdmin flow) throws SQLException {
		List<String> sessions = new ArrayList<>();
		for (int p = 0; p < PROFILES; p++) {
			String profile = "bench-p" + p;
			String session = "session-" + profile;
			profiles.save(profile, profile, true, new FlowCookies(session, Instant.now().plus(Duration.ofDays(1))));
			sessions.add(session);
		}
		int perBatch = 1000;
		try (Statement statement = sql.createStatement()) {
			statement.execute("""
					insert into batches (id, total, delay_ms, status, requested_at, started_at)
					select 'bench-b' || b, %1$d, 0, 'running', now(), now() from generate_series(1, %2$d) b
					""".formatted(perBatch, OPERATIONS / perBatch));
			statement.execute(
					"""
							insert into batch_items (batch_id, item_index, source_generation_id, model, scene_id, upscale_id,
							                         status)
							select 'bench-b' || ((i - 1) / %1$d + 1), (i - 1) %% %1$d + 1, 'gen-' || i, 'veo_2_1080p_upsampler_8s',
							       gen_random_uuid(), 'bench-u' || i, 'started'
							from generate_series(1, %2$d) i
							"""
						.formatted(perBatch, OPERATIONS));
			statement.execute(
					"""
							insert into upscales (id, batch_id, item_index, source_generation_id, profile_id, model, scene_id,
							                      operation_name, flow_project_id, status)
							select upscale_id, batch_id, item_index, source_generation_id,
							       'bench-p' || (item_index %% %1$d), model, scene_id, 'bench-op-' || upscale_id, 'fp1', 'processing'
							from batch_items where batch_id like 'bench-b%%'
							"""
						.formatted(PROFILES));
			statement.execute(
					"""
							insert into operation_checks (upscale_id, batch_id, source_generation_id, profile_id, operation_name,
							                              flow_project_id, next_check_at, deadline_at, check_interval_ms,
							                              initiated_at)
							select id, batch_id, source_generation_id, profile_id, operation_name, flow_project_id,
							       now() + interval '1 day', now() + interval '1 day', %d, now()
							from upscales where id like 'bench-u%%'
							"""
						.formatted(RECHECK.toMillis()));
			statement.execute("analyze");
		}
		for (int p = 0; p < PROFILES; p++) {
			List<String> names = new ArrayList<>();
			try (PreparedStatement statement = sql
				.prepareStatement("select operation_name from upscales where profile_id = ?")) {
				statement.setString(1, "bench-p" + p);
				try (ResultSet rows = statement.executeQuery()) {
					while (rows.next()) {
						names.add(rows.getString(1));
					}
				}
			}
			flow.adopt(SimulatedAccounts.accountOf(sessions.get(p)), names);
		}
	}

	private static void makeAllDue(Connection sql) throws SQLException {
		try (Statement statement = sql.createStatement()) {
			statement
				.execute("update operation_checks set next_check_at = now(), leased_by = null, leased_until = null");
			statement.execute("vacuum analyze operation_checks");
		}
	}

	private static Result measure(Connection sql) throws SQLException, InterruptedException {
		Thread.sleep(WARM_UP.toMillis());
		long before = checks(sql);
		long start = System.nanoTime();
		Thread.sleep(WINDOW.toMillis());
		long after = checks(sql);
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Result(after - before, seconds);
	}

	private static long checks(Connection sql) throws SQLException {
		try (Statement statement = sql.createStatement();
				ResultSet rows = statement.executeQuery("select coalesce(sum(checks), 0) from operation_checks")) {
			rows.next();
			return rows.getLong(1);
		}
	}

	/**
	 * The floor the poller is set against: claim with the poller's statement, reschedule
	 * every claimed operation in one statement, nothing else.
	 */
	private static final class BareLoop implements Runnable {

		private final Connection connection;

		private volatile boolean running = true;

		BareLoop(Connection connection) {
			this.connection = connection;
		}

		void stop() {
			this.running = false;
		}

		@Override
		public void run() {
			try (PreparedStatement claim = this.connection.prepareStatement(CLAIM);
					PreparedStatement reschedule = this.connection.prepareStatement(RESCHEDULE)) {
				while (this.running) {
					Instant now = Instant.now();
					claim.setString(1, "bare-loop");
					claim.setTimestamp(2, Timestamp.from(now.plusSeconds(60)));
					claim.setTimestamp(3, Timestamp.from(now));
					claim.setTimestamp(4, Timestamp.from(now));
					claim.setInt(5, CLAIM_BATCH_SIZE);
					List<String> claimed = new ArrayList<>();
					try (ResultSet rows = claim.executeQuery()) {
						while (rows.next()) {
							claimed.add(rows.getString(1));
						}
					}
					if (claimed.isEmpty()) {
						Thread.sleep(50);
						continue;
					}
					Array ids = this.connection.createArrayOf("varchar", claimed.toArray());
					reschedule.setTimestamp(1, Timestamp.from(Instant.now().plus(RECHECK)));
					reschedule.setArray(2, ids);
					reschedule.setString(3, "bare-loop");
					reschedule.executeUpdate();
					ids.free();
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	/**
	 * The simulator's admin API, for what test-support's client does not offer.
	 */
	private static final class SimulatorAdmin {

		private final RestClient client;

		SimulatorAdmin(int port) {
			this.client = RestClient.builder().baseUrl("http://localhost:" + port + "/admin").build();
		}

		void adopt(String account, List<String> names) {
			this.client.post()
				.uri("/operations")
				.body(Map.of("account", account, "names", names))
				.retrieve()
				.toBodilessEntity();
		}

	}

	private record Result(long operations, double seconds) {

		double perSecond() {
			return this.operations / this.seconds;
		}

	}

}
