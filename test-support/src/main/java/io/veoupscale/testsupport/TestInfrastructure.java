package io.veoupscale.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker and database every integration test of a JVM shares, started on first use
 * and stopped when the JVM exits.
 * <p>
 * By default (no Docker needed) the broker is spring-kafka-test's embedded KRaft broker
 * and the database is a fresh one on the PostgreSQL server at {@code 127.0.0.1:5432} (or
 * {@code UPSCALE_TEST_POSTGRES_URL}), falling back to an embedded PostgreSQL when no
 * server answers. With {@code UPSCALE_TEST_INFRA=testcontainers} (environment or system
 * property) and a Docker engine, both run in Testcontainers instead.
 */
public final class TestInfrastructure {

	/** The base64 AES key the tests configure for cookie encryption. */
	public static final String CRYPTO_KEY = "dGVzdC1vbmx5LWtleS0zMi1ieXRlcy1sb25nLWFhYWE=";

	private static Infrastructure instance;

	private TestInfrastructure() {
	}

	/**
	 * The Kafka bootstrap servers of the shared broker.
	 * @return host:port list
	 */
	public static String kafkaBootstrapServers() {
		return get().kafkaBootstrapServers();
	}

	/**
	 * The database of this test run.
	 * @return its connection details
	 */
	public static Database database() {
		return get().database();
	}

	/**
	 * Spring properties that point a service at the shared broker and database.
	 * @return property names and values
	 */
	public static Map<String, Object> springProperties() {
		Database database = database();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers());
		properties.put("spring.datasource.url", database.jdbcUrl());
		properties.put("spring.datasource.username", database.username());
		properties.put("spring.datasource.password", database.password());
		properties.put("upscale.crypto.key", CRYPTO_KEY);
		return properties;
	}

	/**
	 * The same properties as {@code key=value} strings, for test annotations and
	 * builders.
	 * @return the properties
	 */
	public static String[] springPropertyStrings() {
		return springProperties().entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
	}

	private static synchronized Infrastructure get() {
		if (instance == null) {
			instance = Infrastructure.start();
			Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "test-infrastructure-stop"));
		}
		return instance;
	}

}
