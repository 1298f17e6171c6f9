package io.veoupscale.bench;

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

import io.veoupscale.poller.PollerProperties;
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

	/**
	 * The poller's claim, word for word: the same lease columns written and the same
	 * columns read back.
	 */
	private static final String CLAIM = """
			update operation_checks c
			set leased_by = ?, leased_until = ?, version = c.version + 1
			from (select upscale_id, leased_until is not null as lease_expired from operation_checks
			      where next_check_at <= ? and (leased_until is null or leased_until < ?)
			      order by next_check_at
			      limit ?
			      for update skip locked) due
			where c.upscale_id = due.upscale_id
			returning c.upscale_id, c.batch_id, c.source_generation_id, c.profile_id, c.operation_name,
			          c.flow_project_id, c.deadline_at, c.check_interval_ms, c.consecutive_errors, c.initiated_at,
			          due.lease_expired
			""";

	/**
	 * What the poller writes for operations Flow reports running, in one transaction: the
	 * upscales marked processing (a no-op once they are), and each operation's own next
	 * check, interval, error count and last error, releasing its lease.
	 */
	private static final String MARK_PROCESSING = """
			update upscales set status = 'processing', updated_at = ?
			where id = any(?) and status = 'pending'
			""";

	private static final String RESCHEDULE = """
			update operation_checks c
			set next_check_at = to_timestamp(n.next_check_ms / 1000.0), check_interval_ms = n.interval_ms,
			    checks = c.checks + 1, consecutive_errors = n.consecutive_errors, last_error = n.last_error,
			    leased_by = null, leased_until = null, version = c.version + 1
			from unnest(?, ?, ?, ?, ?)
			     as n(upscale_id, next_check_ms, interval_ms, consecutive_errors, last_error)
			where c.upscale_id = n.upscale_id and c.leased_by = ?
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
			PollerProperties settings = poller.getBean(PollerProperties.class);
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
			System.out.printf("poller: %d operations per status call, %d calls in flight, %d poll loops%n",
					settings.maxPerCheck(), settings.checkConcurrency(), settings.pollLoops());
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
	 * The floor the poller is set against: the poller's statements on one connection
	 * (claim; then, in one transaction, mark processing and reschedule each claimed
	 * operation a second later) with no status call in between.
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
					PreparedStatement markProcessing = this.connection.prepareStatement(MARK_PROCESSING);
					PreparedStatement reschedule = this.connection.prepareStatement(RESCHEDULE)) {
				while (this.running) {
					Instant now = Instant.now();
					claim.setString(1, "bare-loop");
					claim.setTimestamp(2, Timestamp.from(now.plusSeconds(60)));
					claim.setTimestamp(3, Timestamp.from(now));
					claim.setTimestamp(4, Timestamp.from(now));
					claim.setInt(5, CLAIM_BATCH_SIZE);
					List<Claimed> claimed = new ArrayList<>();
					try (ResultSet rows = claim.executeQuery()) {
						while (rows.next()) {
							claimed.add(new Claimed(rows.getString("upscale_id"), rows.getString("batch_id"),
									rows.getString("source_generation_id"), rows.getString("profile_id"),
									rows.getString("operation_name"), rows.getString("flow_project_id"),
									rows.getTimestamp("deadline_at").toInstant(), rows.getInt("check_interval_ms"),
									rows.getInt("consecutive_errors"), rows.getTimestamp("initiated_at"),
									rows.getBoolean("lease_expired")));
						}
					}
					if (claimed.isEmpty()) {
						Thread.sleep(50);
						continue;
					}
					write(claimed, markProcessing, reschedule);
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private void write(List<Claimed> claimed, PreparedStatement markProcessing, PreparedStatement reschedule)
				throws SQLException {
			Instant now = Instant.now();
			int size = claimed.size();
			String[] ids = new String[size];
			Long[] nextChecks = new Long[size];
			Integer[] intervals = new Integer[size];
			Integer[] errors = new Integer[size];
			String[] lastErrors = new String[size];
			for (int i = 0; i < size; i++) {
				Claimed operation = claimed.get(i);
				ids[i] = operation.upscaleId();
				nextChecks[i] = now.plusMillis(operation.intervalMs()).toEpochMilli();
				intervals[i] = operation.intervalMs();
				errors[i] = 0;
			}
			this.connection.setAutoCommit(false);
			try {
				markProcessing.setTimestamp(1, Timestamp.from(now));
				markProcessing.setArray(2, this.connection.createArrayOf("varchar", ids));
				markProcessing.executeUpdate();
				reschedule.setArray(1, this.connection.createArrayOf("varchar", ids));
				reschedule.setArray(2, this.connection.createArrayOf("int8", nextChecks));
				reschedule.setArray(3, this.connection.createArrayOf("int4", intervals));
				reschedule.setArray(4, this.connection.createArrayOf("int4", errors));
				reschedule.setArray(5, this.connection.createArrayOf("varchar", lastErrors));
				reschedule.setString(6, "bare-loop");
				reschedule.executeUpdate();
				this.connection.commit();
			}
			finally {
				this.connection.setAutoCommit(true);
			}
		}

	}

	/**
	 * A claimed operation, every column the poller reads.
	 */
	private record Claimed(String upscaleId, String batchId, String sourceGenerationId, String profileId,
			String operationName, String flowProjectId, Instant deadline, int intervalMs, int consecutiveErrors,
			Timestamp initiatedAt, boolean leaseExpired) {
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
