package io.veoupscale.fault;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the fault scenarios against the services as separate processes and prints a
 * pass/fail table; the exit code is 1 when any scenario failed.
 * <p>
 * Arguments: scenario names to run ({@code kills}, {@code fuzz}, {@code upstream},
 * {@code poller}, {@code outages}; all when none), or {@code smoke} for the short version
 * that {@code ./mvnw verify} runs.
 */
public final class FaultSuite {

	/** Every scenario, by the name the command line takes. */
	static final List<String> SCENARIOS = List.of("kills", "fuzz", "upstream", "poller", "outages");

	/** The order they run in: the one that replaces the workers last. */
	private static final List<String> RUN_ORDER = List.of("kills", "fuzz", "poller", "outages", "upstream");

	private FaultSuite() {
	}

	public static void main(String[] args) throws Exception {
		Set<String> chosen = Set.copyOf(List.of(args));
		boolean smoke = chosen.contains("smoke");
		for (String name : chosen) {
			if (!name.equals("smoke") && !SCENARIOS.contains(name)) {
				System.err.println("Unknown scenario '" + name + "'; choose from " + SCENARIOS + " or smoke");
				System.exit(2);
			}
		}
		List<String> run = smoke ? List.of("kills", "fuzz")
				: SCENARIOS.stream().filter((name) -> chosen.isEmpty() || chosen.contains(name)).toList();
		// On Ctrl-C, no service, broker or simulator of this run outlives it.
		Runtime.getRuntime()
			.addShutdownHook(
					new Thread(() -> ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly),
							"fault-suite-stop"));
		Instant started = Instant.now();
		List<Outcome> outcomes = run(Path.of("target", "fault-suite-run"), run, smoke);
		print(outcomes, Duration.between(started, Instant.now()), System.out);
		System.exit(outcomes.stream().allMatch(Outcome::passed) ? 0 : 1);
	}

	/**
	 * Starts the system, runs the scenarios in an order that needs the fewest restarts,
	 * and stops it.
	 * @param work the folder for data and logs
	 * @param scenarios the scenario names
	 * @param smoke whether to run the short version
	 * @return the outcomes, in scenario order
	 */
	static List<Outcome> run(Path work, List<String> scenarios, boolean smoke) throws Exception {
		List<Outcome> outcomes = new ArrayList<>();
		boolean poller = scenarios.contains("poller") || scenarios.contains("outages");
		try (FaultSystem system = FaultSystem.start(work, smoke ? 2 : 3, poller)) {
			for (String scenario : RUN_ORDER) {
				if (!scenarios.contains(scenario)) {
					continue;
				}
				Instant started = Instant.now();
				List<Outcome> found = new ArrayList<>();
				try {
					found.addAll(run(system, scenario, smoke));
				}
				catch (Exception ex) {
					found.add(new Outcome(scenario, false, new java.util.LinkedHashMap<>(), List.of("aborted: " + ex)));
					ex.printStackTrace();
				}
				for (Outcome outcome : found) {
					outcome.figures().putIfAbsent("time", Figures.seconds(Duration.between(started, Instant.now())));
					FaultSystem
						.log(outcome.scenario() + ": " + (outcome.passed() ? "PASS" : "FAIL " + outcome.failures()));
				}
				outcomes.addAll(found);
			}
		}
		outcomes.sort(java.util.Comparator.comparing(Outcome::scenario));
		return outcomes;
	}

	private static List<Outcome> run(FaultSystem system, String scenario, boolean smoke) throws Exception {
		return switch (scenario) {
			case "kills" -> List.of(smoke ? new WorkerKills(system, 20, 3, 150, 1).run()
					: new WorkerKills(system, 100, 20, 150, 1).run());
			case "fuzz" -> List.of(new GatewayFuzz(system, smoke ? 300 : 10_000, 2).run(),
					new PoisonRecords(system, smoke ? 50 : 1_000, 3).run());
			case "upstream" -> List.of(new UpstreamFaults(system, 30, Duration.ofMillis(250)).run());
			case "poller" -> List.of(new PollerKill(system, 1_000).run());
			case "outages" -> new Outages(system, 40, Duration.ofSeconds(15), Duration.ofSeconds(30)).run();
			default -> throw new IllegalArgumentException(scenario);
		};
	}

	/**
	 * Prints the table: one row per scenario, its result, its figures.
	 * @param outcomes the outcomes
	 * @param total the suite's wall time
	 * @param out where to print
	 */
	static void print(List<Outcome> outcomes, Duration total, PrintStream out) {
		out.println();
		out.println(String.format(Locale.ROOT, "%-24s %-6s %s", "scenario", "result", "figures"));
		for (Outcome outcome : outcomes) {
			StringBuilder figures = new StringBuilder();
			outcome.figures().forEach((name, value) -> {
				if (!figures.isEmpty()) {
					figures.append(", ");
				}
				figures.append(name).append(' ').append(value);
			});
			out.println(String.format(Locale.ROOT, "%-24s %-6s %s", outcome.scenario(),
					outcome.passed() ? "PASS" : "FAIL", figures));
			for (String failure : outcome.failures()) {
				out.println(String.format(Locale.ROOT, "%-24s %-6s   ! %s", "", "", failure));
			}
		}
		long failed = outcomes.stream().filter((outcome) -> !outcome.passed()).count();
		out.println(String.format(Locale.ROOT, "%d scenario(s), %d passed, %d failed, %s in all", outcomes.size(),
				outcomes.size() - failed, failed, Figures.seconds(total)));
	}

}
