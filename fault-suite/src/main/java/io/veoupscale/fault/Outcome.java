package io.veoupscale.fault;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one scenario found: whether it passed, its figures in print order, and why it
 * failed if it did.
 *
 * @param scenario the scenario's name
 * @param passed whether every check held
 * @param figures the measured figures
 * @param failures the checks that did not hold
 */
record Outcome(String scenario, boolean passed, Map<String, String> figures, java.util.List<String> failures) {

	/**
	 * Collects figures and failed checks while a scenario runs.
	 */
	static final class Builder {

		private final String scenario;

		private final Map<String, String> figures = new LinkedHashMap<>();

		private final java.util.List<String> failures = new java.util.ArrayList<>();

		Builder(String scenario) {
			this.scenario = scenario;
		}

		Builder figure(String name, Object value) {
			this.figures.put(name, String.valueOf(value));
			return this;
		}

		Builder check(boolean holds, String description) {
			if (!holds) {
				this.failures.add(description);
			}
			return this;
		}

		Outcome build() {
			return new Outcome(this.scenario, this.failures.isEmpty(), this.figures, this.failures);
		}

	}

}
