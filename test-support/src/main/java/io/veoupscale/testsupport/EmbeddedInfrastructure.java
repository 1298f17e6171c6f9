package io.veoupscale.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The Docker-free infrastructure: spring-kafka-test's in-process KRaft broker and a
 * database of its own on the local PostgreSQL server, or on an embedded one when no
 * server answers.
 */
final class EmbeddedInfrastructure implements Infrastructure {

	private static final String DEFAULT_SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

	private final EmbeddedKafkaKraftBroker broker;

	private final @Nullable EmbeddedPostgres embeddedPostgres;

	private final String serverUrl;

	private final String username;

	private final String databaseName;

	private EmbeddedInfrastructure(EmbeddedKafkaKraftBroker broker, @Nullable EmbeddedPostgres embeddedPostgres,
			String serverUrl, String username, String databaseName) {
		this.broker = broker;
		this.embeddedPostgres = embeddedPostgres;
		this.serverUrl = serverUrl;
		this.username = username;
		this.databaseName = databaseName;
	}

	static EmbeddedInfrastructure start() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
		broker.brokerProperties(Map.of("auto.create.topics.enable", "false", "group.initial.rebalance.delay.ms", "0",
				"transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
		broker.afterPropertiesSet();
		String serverUrl = envOr("UPSCALE_TEST_POSTGRES_URL", DEFAULT_SERVER_URL);
		String username = envOr("UPSCALE_TEST_POSTGRES_USER", "postgres");
		EmbeddedPostgres embedded = null;
		if (!reachable(serverUrl, username)) {
			embedded = startEmbeddedPostgres();
			serverUrl = embedded.getJdbcUrl("postgres", "postgres");
			username = "postgres";
		}
		String databaseName = "upscale_test_"
				+ LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "_"
				+ UUID.randomUUID().toString().substring(0, 8);
		execute(serverUrl, username, "create database " + databaseName);
		return new EmbeddedInfrastructure(broker, embedded, serverUrl, username, databaseName);
	}

	@Override
	public String kafkaBootstrapServers() {
		return this.broker.getBrokersAsString();
	}

	@Override
	public Database database() {
		int end = (this.serverUrl.indexOf('?') >= 0) ? this.serverUrl.indexOf('?') : this.serverUrl.length();
		int slash = this.serverUrl.lastIndexOf('/', end);
		String url = this.serverUrl.substring(0, slash + 1) + this.databaseName + this.serverUrl.substring(end);
		return new Database(url, this.username, "");
	}

	@Override
	public void stop() {
		try {
			execute(this.serverUrl, this.username, "drop database if exists " + this.databaseName + " with (force)");
		}
		catch (RuntimeException ex) {
			// The server may already be gone; an abandoned test database is harmless.
		}
		this.broker.destroy();
		if (this.embeddedPostgres != null) {
			try {
				this.embeddedPostgres.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	private static EmbeddedPostgres startEmbeddedPostgres() {
		try {
			return EmbeddedPostgres.builder().start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No PostgreSQL server answered and an embedded one did not start", ex);
		}
	}

	private static boolean reachable(String url, String username) {
		try (Connection connection = DriverManager.getConnection(url, username, "")) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static void execute(String url, String username, String sql) {
		try (Connection connection = DriverManager.getConnection(url, username, "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run '" + sql + "' on " + url, ex);
		}
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}
