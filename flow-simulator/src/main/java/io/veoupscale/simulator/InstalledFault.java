package io.veoupscale.simulator;

/**
 * A fault rule in force, with the id it was given and how many more calls it affects.
 *
 * @param id the order in which the rule was added
 * @param rule the rule with its defaults filled in
 * @param remaining matching calls it still affects; 0 for a rule with {@code times} 0,
 * which never runs out
 */
record InstalledFault(long id, FaultRule rule, int remaining) {

	boolean unlimited() {
		return this.rule.times() != null && this.rule.times() == 0;
	}

	InstalledFault used() {
		return new InstalledFault(this.id, this.rule, this.remaining - 1);
	}

}
