package io.veoupscale.systemtests;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The modules' main code, as the services ship it: dependencies point one way (messages
 * at the bottom, then the store and the Flow client, then the services, which never use
 * each other), and no feature package of a module is in a cycle with another.
 */
class ArchitectureTests {

	private static final String EVENTS = "io.veoupscale.events..";

	private static final String STORE = "io.veoupscale.store..";

	private static final String FLOW = "io.veoupscale.flow..";

	private static final String SIMULATOR = "io.veoupscale.simulator..";

	private static final String WORKER = "io.veoupscale.worker..";

	private static final String POLLER = "io.veoupscale.poller..";

	private static final String GATEWAY = "io.veoupscale.gateway..";

	private static JavaClasses classes;

	@BeforeAll
	static void importMainCode() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.veoupscale.events", "io.veoupscale.store", "io.veoupscale.flow",
					"io.veoupscale.simulator", "io.veoupscale.worker", "io.veoupscale.poller", "io.veoupscale.gateway");
	}

	@Test
	void messagesDependOnNothingOfOursNorOnSpringOrKafka() {
		check(noClasses().that()
			.resideInAPackage(EVENTS)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(STORE, FLOW, SIMULATOR, WORKER, POLLER, GATEWAY, "org.springframework..",
					"org.apache.kafka.."));
	}

	@Test
	void storeAndFlowClientDependOnNoService() {
		check(noClasses().that()
			.resideInAnyPackage(STORE, FLOW)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(SIMULATOR, WORKER, POLLER, GATEWAY));
		check(noClasses().that().resideInAPackage(STORE).should().dependOnClassesThat().resideInAPackage(FLOW));
		check(noClasses().that().resideInAPackage(FLOW).should().dependOnClassesThat().resideInAPackage(STORE));
	}

	@Test
	void servicesNeverUseEachOtherNorTheSimulator() {
		check(noClasses().that()
			.resideInAPackage(WORKER)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(POLLER, GATEWAY, SIMULATOR));
		check(noClasses().that()
			.resideInAPackage(POLLER)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(WORKER, GATEWAY, SIMULATOR));
		check(noClasses().that()
			.resideInAPackage(GATEWAY)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(WORKER, POLLER, SIMULATOR));
		// The gateway talks to Flow for one thing: renewing an expired video link before
		// it
		// hands it out (its upscale package).
		check(noClasses().that()
			.resideInAPackage(GATEWAY)
			.and()
			.resideOutsideOfPackage("io.veoupscale.gateway.upscale..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(FLOW));
		check(noClasses().that()
			.resideInAPackage(SIMULATOR)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(EVENTS, STORE, FLOW, WORKER, POLLER, GATEWAY));
	}

	@Test
	void featurePackagesOfEachModuleAreFreeOfCycles() {
		for (String module : new String[] { "events", "store", "flow", "simulator", "worker", "poller", "gateway" }) {
			check(slices().matching("io.veoupscale." + module + ".(*)..")
				.should()
				.beFreeOfCycles()
				.allowEmptyShould(true));
		}
	}

	private static void check(ArchRule rule) {
		rule.check(classes);
	}

}
