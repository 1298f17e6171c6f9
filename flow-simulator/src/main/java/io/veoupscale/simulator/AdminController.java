package io.veoupscale.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The unauthenticated test-control API: fault rules, call counters and reset, which the
 * real Flow API has no counterpart of.
 */
@RestController
@RequestMapping("/admin")
class AdminController {

	private static final Logger logger = LoggerFactory.getLogger(AdminController.class);

	private final SimulatorState state;

	AdminController(SimulatorState state) {
		this.state = state;
	}

	@PostMapping("/faults")
	ResponseEntity<InstalledFault> addFault(@Valid @RequestBody FaultRule rule) {
		InstalledFault installed;
		try {
			installed = this.state.addFault(rule);
		}
		catch (IllegalArgumentException ex) {
			throw RpcException.invalidArgument(ex.getMessage());
		}
		logger.info("Fault rule {} added: {} on {} for {} call(s) of account {}", installed.id(), rule.kind(),
				rule.target(), installed.rule().times(), rule.account());
		return ResponseEntity.status(HttpStatus.CREATED).body(installed);
	}

	@GetMapping("/faults")
	Map<String, List<InstalledFault>> faults() {
		return Map.of("faults", this.state.faults());
	}

	@DeleteMapping("/faults")
	ResponseEntity<Void> clearFaults() {
		this.state.clearFaults();
		logger.info("Fault rules cleared");
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/reset")
	ResponseEntity<Void> reset() {
		this.state.reset();
		logger.info("Simulator reset");
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/starts")
	StartsReport starts() {
		List<StartCall> starts = this.state.starts();
		Map<String, Integer> startsByScene = new LinkedHashMap<>();
		for (StartCall start : starts) {
			if (start.sceneId() != null) {
				startsByScene.merge(start.sceneId(), 1, Integer::sum);
			}
		}
		long accepted = starts.stream().filter((start) -> StartCall.ACCEPTED.equals(start.outcome())).count();
		return new StartsReport(starts, startsByScene, accepted);
	}

	/**
	 * Makes operations that were never started here known, as running, so that load can
	 * be seeded without a start call per operation.
	 */
	@PostMapping("/operations")
	Map<String, Integer> adoptOperations(@RequestBody AdoptedOperations operations) {
		int adopted = this.state.adopt(operations.names(), operations.account());
		logger.info("Adopted {} operation(s) of account {}", adopted, operations.account());
		return Map.of("adopted", adopted);
	}

	@GetMapping("/checks")
	Map<String, List<CheckCall>> checks() {
		return Map.of("checks", this.state.checks());
	}

	/**
	 * Every start request item received, how often each scene was asked for, and how many
	 * were accepted.
	 *
	 * @param starts the call log in arrival order
	 * @param startsByScene start calls per scene, any outcome
	 * @param accepted items that became operations
	 */
	record StartsReport(List<StartCall> starts, Map<String, Integer> startsByScene, long accepted) {

	}

	/**
	 * Operations started elsewhere, to be reported as running.
	 *
	 * @param account the simulated account they belong to
	 * @param names their names
	 */
	record AdoptedOperations(String account, List<String> names) {

	}

}
