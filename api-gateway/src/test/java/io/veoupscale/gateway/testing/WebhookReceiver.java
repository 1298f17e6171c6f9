package io.veoupscale.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.veoupscale.events.UpscaleJson;
import tools.jackson.databind.JsonNode;

/**
 * A webhook receiver on loopback (the JDK's HttpServer): records every request it gets,
 * with its headers, body and arrival time, and answers with the status its responder
 * chooses (200 unless told otherwise).
 */
public final class WebhookReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private volatile ToIntFunction<Received> responder = (request) -> 200;

	public WebhookReceiver() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(Executors.newCachedThreadPool());
		this.server.start();
	}

	/**
	 * The URL of a path on this receiver.
	 * @param path the path, starting with /
	 * @return the URL
	 */
	public String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	/**
	 * Chooses the status of each answer from the request (may block to hold a sender).
	 * @param responder the status for a request
	 */
	public void respond(ToIntFunction<Received> responder) {
		this.responder = responder;
	}

	/**
	 * Every request received, in arrival order.
	 * @return the requests
	 */
	public List<Received> received() {
		return List.copyOf(this.received);
	}

	/**
	 * The requests received on a path.
	 * @param path the path
	 * @return the requests, in arrival order
	 */
	public List<Received> received(String path) {
		return this.received.stream().filter((request) -> request.path().equals(path)).toList();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream body = exchange.getRequestBody()) {
			Received request = new Received(exchange.getRequestURI().getPath(), exchange.getRequestMethod(),
					exchange.getRequestHeaders().getFirst("webhook-id"),
					exchange.getRequestHeaders().getFirst("webhook-timestamp"),
					exchange.getRequestHeaders().getFirst("webhook-signature"),
					exchange.getRequestHeaders().getFirst("Content-Type"),
					new String(body.readAllBytes(), StandardCharsets.UTF_8), Instant.now());
			this.received.add(request);
			int status = this.responder.applyAsInt(request);
			byte[] answer = ("answered " + status).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(status, answer.length);
			exchange.getResponseBody().write(answer);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/**
	 * A request as received.
	 *
	 * @param path the path
	 * @param method the method
	 * @param webhookId the webhook-id header
	 * @param timestamp the webhook-timestamp header
	 * @param signature the webhook-signature header
	 * @param contentType the Content-Type header
	 * @param body the body
	 * @param at when it arrived
	 */
	public record Received(String path, String method, String webhookId, String timestamp, String signature,
			String contentType, String body, Instant at) {

		/**
		 * The body as JSON.
		 * @return the event
		 */
		public JsonNode json() {
			return UpscaleJson.mapper().readTree(this.body);
		}

		/**
		 * Verifies the signature as a receiver does (Standard Webhooks): HMAC-SHA256 of
		 * {@code id.timestamp.body} keyed with the base64 part of the secret after
		 * {@code whsec_}, compared in constant time with each {@code v1,} signature.
		 * @param secret the subscription's secret
		 * @return whether one of the signatures matches
		 */
		public boolean verifies(String secret) {
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
						"HmacSHA256"));
				byte[] expected = mac.doFinal(
						(this.webhookId + "." + this.timestamp + "." + this.body).getBytes(StandardCharsets.UTF_8));
				for (String signature : this.signature.split(" ")) {
					if (signature.startsWith("v1,")
							&& MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
						return true;
					}
				}
				return false;
			}
			catch (java.security.GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
