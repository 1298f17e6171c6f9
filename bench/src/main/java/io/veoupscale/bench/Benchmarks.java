package io.veoupscale.bench;

import java.util.Arrays;

/**
 * Runs the benchmark named on the command line: {@code pacing}, {@code gateway},
 * {@code poller}, {@code worker}, {@code events}, {@code scaleout}, {@code memory},
 * {@code density}, {@code webhooks}.
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String which = (args.length > 0) ? args[0] : "pacing";
		String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
		try {
			switch (which) {
				case "pacing" -> PacingBenchmark.run(rest);
				case "gateway" -> GatewayBenchmark.run();
				case "poller" -> PollerBenchmark.run(rest);
				case "worker" -> WorkerBenchmark.run(rest);
				case "events" -> EventsBenchmark.run(rest);
				case "scaleout" -> ScaleOutBenchmark.run(rest);
				case "memory" -> MemoryBenchmark.run(rest);
				case "density" -> DensityBenchmark.run(rest);
				case "webhooks" -> WebhooksBenchmark.run(rest);
				default -> {
					System.err.println("Unknown benchmark '" + which
							+ "'; known: pacing, gateway, poller, worker, events, scaleout, memory, density, webhooks");
					System.exit(2);
				}
			}
		}
		catch (Exception ex) {
			ex.printStackTrace();
			System.exit(1);
		}
		System.exit(0);
	}

}
