package io.veoupscale.bench;

import java.util.Arrays;

/**
 * Runs the benchmarks named on the command line ({@code pacing}).
 */
public final class Benchmarks {

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		String which = (args.length > 0) ? args[0] : "pacing";
		if (!which.equals("pacing")) {
			System.err.println("Unknown benchmark '" + which + "'; known: pacing");
			System.exit(2);
		}
		PacingBenchmark.run(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
		System.exit(0);
	}

}
