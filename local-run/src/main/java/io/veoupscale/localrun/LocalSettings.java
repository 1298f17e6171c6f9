package io.veoupscale.localrun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a local run starts and on which ports, read from environment variables so that any
 * component can be swapped for an external one.
 *
 * @param gatewayPort HTTP port of the gateway ({@code LOCAL_GATEWAY_PORT})
 * @param workerPorts HTTP ports of the two workers ({@code LOCAL_WORKER_1_PORT},
 * {@code LOCAL_WORKER_2_PORT})
 * @param pollerPort HTTP port of the status poller ({@code LOCAL_POLLER_PORT})
 * @param simulatorPort HTTP port of the Flow simulator ({@code LOCAL_SIMULATOR_PORT})
 * @param kafkaPort port of the embedded broker's listener ({@code LOCAL_KAFKA_PORT})
 * @param postgresPort port of the embedded PostgreSQL, 0 for a free one
 * ({@code LOCAL_POSTGRES_PORT})
 * @param externalKafka bootstrap servers of an external broker, which replaces the
 * embedded one ({@code SPRING_KAFKA_BOOTSTRAP_SERVERS})
 * @param externalDatabase JDBC URL of an external database, which replaces the embedded
 * one ({@code SPRING_DATASOURCE_URL}, with {@code _USERNAME} and {@code _PASSWORD})
 * @param externalFlow base URL of an external Flow API, which replaces the simulator
 * ({@code FLOW_API_BASE_URL}, with {@code FLOW_LABS_BASE_URL})
 * @param apiKey the bearer key the gateway accepts ({@code LOCAL_API_KEY}, random when
 * unset)
 * @param extraApiKeyHashes further accepted key digests
 * ({@code UPSCALE_GATEWAY_API_KEY_HASHES})
 * @param cryptoKey the cookie encryption key ({@code UPSCALE_CRYPTO_KEY}, random when
 * unset)
 * @param cryptoKeyGenerated whether {@link #cryptoKey} is a random one of this run
 * @param runId a short random name of this run, which keeps the lease owner names of its
 * instances apart from those of another run on the same database
 */
record LocalSettings(int gatewayPort, List<Integer> workerPorts, int pollerPort, int simulatorPort, int kafkaPort,
		int postgresPort, @Nullable String externalKafka, @Nullable String externalDatabase,
		@Nullable String externalFlow, String apiKey, @Nullable String extraApiKeyHashes, String cryptoKey,
		boolean cryptoKeyGenerated, String runId) {

	static final String HELP = """
			Usage: ./run-local

			Starts a KRaft broker, PostgreSQL, the Flow simulator, the gateway, two workers and the
			poller in one process, seeds demo data and prints how to use them. Ctrl-C stops it all.

			Environment variables (all optional):
			  LOCAL_GATEWAY_PORT        gateway HTTP port                       (8080)
			  LOCAL_WORKER_1_PORT       first worker HTTP port                  (8081)
			  LOCAL_WORKER_2_PORT       second worker HTTP port                 (8083)
			  LOCAL_POLLER_PORT         status poller HTTP port                 (8082)
			  LOCAL_SIMULATOR_PORT      Flow simulator HTTP port                (8090)
			  LOCAL_KAFKA_PORT          embedded broker port                    (9092)
			  LOCAL_POSTGRES_PORT       embedded PostgreSQL port                (a free one)
			  LOCAL_API_KEY             the API key to accept                   (random per run)
			  LOCAL_LOG_LEVEL           log level of the services' own packages (INFO)
			  UPSCALE_CRYPTO_KEY        base64 256-bit cookie encryption key    (random per run)
			  SPRING_KAFKA_BOOTSTRAP_SERVERS   use this broker instead of the embedded one
			  SPRING_DATASOURCE_URL     use this database instead of the embedded one
			                            (with SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD)
			  FLOW_API_BASE_URL         use this Flow API instead of the simulator
			                            (with FLOW_LABS_BASE_URL, FLOW_DIALECT)
			  JAVA_OPTS                 JVM options, read by ./run-local
			                            (-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
			""";

	/**
	 * Reads the settings.
	 * @param env the environment variables
	 * @param random the source of generated keys
	 * @return the settings
	 * @throws IllegalArgumentException when a port is not a number from 1 to 65535
	 */
	static LocalSettings from(Map<String, String> env, SecureRandom random) {
		List<Integer> workerPorts = List.of(port(env, "LOCAL_WORKER_1_PORT", 8081),
				port(env, "LOCAL_WORKER_2_PORT", 8083));
		String apiKey = value(env, "LOCAL_API_KEY");
		if (apiKey == null) {
			apiKey = "local-" + HexFormat.of().formatHex(randomBytes(random, 16));
		}
		String cryptoKey = value(env, "UPSCALE_CRYPTO_KEY");
		boolean cryptoKeyGenerated = cryptoKey == null;
		if (cryptoKey == null) {
			cryptoKey = Base64.getEncoder().encodeToString(randomBytes(random, 32));
		}
		return new LocalSettings(port(env, "LOCAL_GATEWAY_PORT", 8080), workerPorts,
				port(env, "LOCAL_POLLER_PORT", 8082), port(env, "LOCAL_SIMULATOR_PORT", 8090),
				port(env, "LOCAL_KAFKA_PORT", 9092), port(env, "LOCAL_POSTGRES_PORT", 0),
				value(env, "SPRING_KAFKA_BOOTSTRAP_SERVERS"), value(env, "SPRING_DATASOURCE_URL"),
				value(env, "FLOW_API_BASE_URL"), apiKey, value(env, "UPSCALE_GATEWAY_API_KEY_HASHES"), cryptoKey,
				cryptoKeyGenerated, HexFormat.of().formatHex(randomBytes(random, 2)));
	}

	/**
	 * The value of {@code upscale.gateway.api-key-hashes}: the digest of {@link #apiKey}
	 * and any configured ones.
	 * @return comma-separated lowercase hex SHA-256 digests
	 */
	String apiKeyHashes() {
		String hash = sha256Hex(this.apiKey);
		return (this.extraApiKeyHashes != null) ? hash + "," + this.extraApiKeyHashes : hash;
	}

	static String sha256Hex(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	@Override
	public String toString() {
		// Keys stay out of logs and exception messages.
		return "LocalSettings[gatewayPort=" + this.gatewayPort + ", externalKafka=" + this.externalKafka
				+ ", externalDatabase=" + (this.externalDatabase != null) + ", externalFlow=" + this.externalFlow + "]";
	}

	private static int port(Map<String, String> env, String name, int fallback) {
		String value = value(env, name);
		if (value == null) {
			return fallback;
		}
		try {
			int port = Integer.parseInt(value);
			if (port >= 1 && port <= 65535) {
				return port;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException(name + " must be a port number from 1 to 65535, not '" + value + "'");
	}

	private static @Nullable String value(Map<String, String> env, String name) {
		String value = env.get(name);
		return (value != null && !value.isBlank()) ? value.trim() : null;
	}

	private static byte[] randomBytes(SecureRandom random, int count) {
		byte[] bytes = new byte[count];
		random.nextBytes(bytes);
		return bytes;
	}

}
