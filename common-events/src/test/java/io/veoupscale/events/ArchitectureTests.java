package io.veoupscale.events;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The messages are the contract every module and every outside client shares, so they
 * depend on nothing of ours and on no framework beyond Jackson.
 */
class ArchitectureTests {

	@Test
	void eventsDependOnNothingOfOursNorOnSpringOrKafka() {
		noClasses().that()
			.resideInAPackage("io.veoupscale.events..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.veoupscale.store..", "io.veoupscale.flow..", "io.veoupscale.worker..",
					"io.veoupscale.poller..", "io.veoupscale.gateway..", "io.veoupscale.simulator..",
					"org.springframework..", "org.apache.kafka..")
			.check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
				.importPackages("io.veoupscale.events"));
	}

}
