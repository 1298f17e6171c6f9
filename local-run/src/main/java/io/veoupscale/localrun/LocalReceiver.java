package io.veoupscale.localrun;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver for the local run (the JDK's HttpServer on loopback): prints each
 * delivery posted to {@code /hooks} with whether its Standard Webhooks signature verifies
 * with a secret it knows: the run's callback secret, and any secret posted to
 * {@code /secrets} (the {@code whsec_...} a subscription's answer showed).
 */
final class LocalReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<String> secrets = new CopyOnWriteArrayList<>();

	private LocalReceiver(HttpServer server, String callbackSecret) {
		this.server = server;
		this.secrets.add(callbackSecret);
	}

	/**
	 * Starts a receiver on a free loopback port.
	 * @param callbackSecret the secret the gateway signs callbackUrl deliveries with
	 * @return the receiver
	 * @throws IOException if it cannot listen
	 */
	static LocalReceiver start(String callbackSecret) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		LocalReceiver receiver = new LocalReceiver(server, callbackSecret);
		server.createContext("/hooks", receiver::delivery);
		server.createContext("/secrets", receiver::secret);
		server.start();
		return receiver;
	}

	/**
	 * A new Standard Webhooks secret.
	 * @param random the source of randomness
	 * @return {@code whsec_} and a base64 key
	 */
	static String newSecret(SecureRandom random) {
		byte[] key = new byte[32];
		random.nextBytes(key);
		return "whsec_" + Base64.getEncoder().encodeToString(key);
	}

	/**
	 * The receiver's base URL.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private void delivery(HttpExchange exchange) throws IOException {
		try (exchange; InputStream in = exchange.getRequestBody()) {
			String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			String id = exchange.getRequestHeaders().getFirst("webhook-id");
			String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
			String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
			boolean verified = id != null && timestamp != null && signature != null
					&& this.secrets.stream().anyMatch((secret) -> verifies(secret, id, timestamp, signature, body));
			System.out.println("[webhook receiver] " + id
					+ (verified ? " signature verified " : " SIGNATURE NOT VERIFIED ") + body);
			exchange.sendResponseHeaders(verified ? 204 : 401, -1);
		}
	}

	private void secret(HttpExchange exchange) throws IOException {
		try (exchange; InputStream in = exchange.getRequestBody()) {
			String secret = new String(in.readNBytes(200), StandardCharsets.UTF_8).trim();
			boolean valid = secret.startsWith("whsec_");
			if (valid) {
				this.secrets.add(secret);
			}
			exchange.sendResponseHeaders(valid ? 204 : 400, -1);
		}
	}

	static boolean verifies(String secret, String id, String timestamp, String signatures, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
			byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			for (String signature : signatures.split(" ")) {
				if (signature.startsWith("v1,")
						&& MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
					return true;
				}
			}
			return false;
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
