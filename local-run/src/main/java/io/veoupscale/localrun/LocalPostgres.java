package io.veoupscale.localrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL server (a child process from binaries in a Maven artifact,
 * listening on localhost only) with the {@code upscale} database the services migrate.
 */
final class LocalPostgres implements AutoCloseable {

	static final String DATABASE = "upscale";

	static final String USERNAME = "postgres";

	private final EmbeddedPostgres server;

	private LocalPostgres(EmbeddedPostgres server) {
		this.server = server;
	}

	/**
	 * Starts the server and creates the database.
	 * @param port the port, 0 for a free one
	 * @param dataDirectory where the server keeps its data, deleted on close
	 * @return the running server
	 */
	static LocalPostgres start(int port, Path dataDirectory) {
		EmbeddedPostgres server;
		try {
			// The launcher's own shutdown hook stops the server after the services.
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setRegisterShutdownHook(false)
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(true);
			if (port != 0) {
				builder.setPort(port);
			}
			server = builder.start();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("The embedded PostgreSQL did not start (" + ex.getMessage()
					+ "). Where no bundled binaries exist, e.g. on arm64, set SPRING_DATASOURCE_URL to a PostgreSQL.",
					ex);
		}
		try (Connection connection = server.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("create database " + DATABASE);
		}
		catch (SQLException ex) {
			close(server);
			throw new IllegalStateException("Could not create the " + DATABASE + " database", ex);
		}
		return new LocalPostgres(server);
	}

	String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.server.getPort() + "/" + DATABASE;
	}

	@Override
	public void close() {
		close(this.server);
	}

	@Override
	public String toString() {
		return "PostgreSQL at " + jdbcUrl();
	}

	private static void close(EmbeddedPostgres server) {
		try {
			server.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
