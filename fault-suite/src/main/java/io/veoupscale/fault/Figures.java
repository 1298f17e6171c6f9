package io.veoupscale.fault;

import java.time.Duration;
import java.util.List;

/**
 * Formatting of the figures the table prints.
 */
final class Figures {

	private Figures() {
	}

	/**
	 * The p50 and max of some durations, in seconds.
	 * @param durations the durations
	 * @return e.g. {@code p50 3.41s / max 4.02s}, or {@code n/a}
	 */
	static String p50Max(List<Duration> durations) {
		if (durations.isEmpty()) {
			return "n/a";
		}
		List<Duration> sorted = durations.stream().sorted().toList();
		return "p50 " + seconds(sorted.get((sorted.size() - 1) / 2)) + " / max "
				+ seconds(sorted.get(sorted.size() - 1));
	}

	static String seconds(Duration duration) {
		return String.format("%.2fs", duration.toMillis() / 1000.0);
	}

	static String millis(Duration duration) {
		return String.format("%.1fms", duration.toNanos() / 1_000_000.0);
	}

}
