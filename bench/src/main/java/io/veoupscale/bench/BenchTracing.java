package io.veoupscale.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * Tracing as a benchmark runs it: off (the services' default, sampling 0: trace ids are
 * made and propagated, nothing is recorded), or with {@code -Dbench.tracing=on} every
 * trace recorded (sampling 1.0) and exported over OTLP/HTTP to a receiver on loopback
 * that reads and drops the spans, so the cost measured includes the export.
 */
final class BenchTracing {

	private static final AtomicLong exports = new AtomicLong();

	private static final AtomicLong bytes = new AtomicLong();

	private static HttpServer receiver;

	private BenchTracing() {
	}

	static boolean on() {
		return "on".equals(System.getProperty("bench.tracing", "off"));
	}

	/**
	 * The properties that set a service's tracing as this run asks, with the others.
	 */
	static Map<String, String> with(Map<String, String> properties) throws IOException {
		Map<String, String> all = new HashMap<>(properties);
		if (on()) {
			all.put("management.tracing.sampling.probability", "1.0");
			all.put("management.opentelemetry.tracing.export.otlp.endpoint",
					"http://127.0.0.1:" + receiver().getAddress().getPort() + "/v1/traces");
		}
		return all;
	}

	/**
	 * The setting, to print beside the figures.
	 */
	static String describe() {
		return on() ? "tracing ON (sampling 1.0, OTLP export to a loopback receiver: " + exports.get() + " exports, "
				+ bytes.get() / 1024 + " KiB so far)" : "tracing off (default: sampling 0.0, no export)";
	}

	private static synchronized HttpServer receiver() throws IOException {
		if (receiver == null) {
			receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			receiver.createContext("/v1/traces", (exchange) -> {
				try (InputStream body = exchange.getRequestBody()) {
					bytes.addAndGet(body.readAllBytes().length);
				}
				exports.incrementAndGet();
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			});
			receiver.start();
		}
		return receiver;
	}

}
