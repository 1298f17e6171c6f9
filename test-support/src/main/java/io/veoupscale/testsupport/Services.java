package io.veoupscale.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a service in this JVM as it runs in production, from its own application
 * builder, pointed at the shared broker and database. Properties go in as command-line
 * arguments, so they win over the service's own configuration file.
 */
public final class Services {

	private Services() {
	}

	/**
	 * Runs a service on a random port.
	 * @param builder the service's application builder
	 * @param properties properties on top of the shared infrastructure's
	 * @return the running context
	 */
	public static ConfigurableApplicationContext run(SpringApplicationBuilder builder, Map<String, String> properties) {
		List<String> args = new ArrayList<>();
		args.add("--server.port=0");
		TestInfrastructure.springProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
		properties.forEach((key, value) -> args.add("--" + key + "=" + value));
		return builder.run(args.toArray(String[]::new));
	}

	/**
	 * The form the gateway's {@code upscale.gateway.api-key-hashes} takes a key in: its
	 * SHA-256 digest as hex.
	 * @param apiKey the key clients send
	 * @return its hash
	 */
	public static String apiKeyHash(String apiKey) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	/**
	 * The HTTP port a running service listens on.
	 * @param context the service
	 * @return its port
	 */
	public static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

}
