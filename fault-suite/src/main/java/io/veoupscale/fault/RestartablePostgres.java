package io.veoupscale.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.veoupscale.testsupport.ServiceProcess;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

/**
 * An embedded PostgreSQL server of the suite's own (zonky's binaries, a child process on
 * a fixed port) whose data directory outlives it, so it can be stopped and started again
 * with the same data. It is never the machine's shared server.
 */
final class RestartablePostgres implements AutoCloseable {

	static final String DATABASE = "upscale";

	private final Path dataDirectory;

	private final int port;

	private @Nullable EmbeddedPostgres server;

	private RestartablePostgres(Path dataDirectory, int port) {
		this.dataDirectory = dataDirectory;
		this.port = port;
	}

	/**
	 * Starts a new server and creates the services' database.
	 * @param dataDirectory where it keeps its data
	 * @return the running server
	 */
	static RestartablePostgres start(Path dataDirectory) throws IOException, SQLException {
		Files.createDirectories(dataDirectory.getParent());
		RestartablePostgres postgres = new RestartablePostgres(dataDirectory, ServiceProcess.freePort());
		postgres.start(true);
		try (Connection connection = postgres.server().getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("create database " + DATABASE);
		}
		return postgres;
	}

	String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.port + "/" + DATABASE;
	}

	/**
	 * Starts the server again on its port and data.
	 */
	void start() throws IOException {
		start(false);
	}

	/**
	 * Stops the server (a fast shutdown: connections are closed), keeping its data.
	 */
	void stop() throws IOException {
		if (this.server != null) {
			this.server.close();
			this.server = null;
		}
	}

	@Override
	public void close() throws IOException {
		stop();
	}

	private void start(boolean fresh) throws IOException {
		if (fresh) {
			KafkaBroker.deleteQuietly(this.dataDirectory);
		}
		// Never a clean data directory: zonky would delete it on stop.
		this.server = EmbeddedPostgres.builder()
			.setDataDirectory(this.dataDirectory)
			.setCleanDataDirectory(false)
			.setPort(this.port)
			.setServerConfig("max_connections", "300")
			.start();
	}

	private EmbeddedPostgres server() {
		if (this.server == null) {
			throw new IllegalStateException("PostgreSQL is stopped");
		}
		return this.server;
	}

}
