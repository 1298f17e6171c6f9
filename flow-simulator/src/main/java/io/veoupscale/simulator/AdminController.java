package io.veoupscale.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The unauthenticated test-control API: fault rules, call logs, accounts, source videos,
 * reported statuses, the clock and reset, which the real Flow API has no counterpart of.
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

	@GetMapping("/cancels")
	Map<String, List<CancelCall>> cancels() {
		return Map.of("cancels", this.state.cancels());
	}

	@GetMapping("/arrivals")
	Map<String, Map<String, Integer>> arrivals() {
		return Map.of("arrivals", this.state.arrivals());
	}

	@GetMapping("/checks")
	Map<String, List<CheckCall>> checks() {
		return Map.of("checks", this.state.checks());
	}

	/**
	 * Moves the simulator's time forward: quotas reset at the next UTC midnight, running
	 * operations finish, links and tokens expire.
	 */
	@PostMapping("/clock")
	Map<String, Instant> advanceClock(@RequestBody ClockAdvance advance) {
		Instant now;
		try {
			now = this.state.advanceClock(advance.advanceBy());
		}
		catch (IllegalArgumentException ex) {
			throw RpcException.invalidArgument(ex.getMessage());
		}
		logger.info("Clock moved forward by {} to {}", advance.advanceBy(), now);
		return Map.of("now", now);
	}

	@GetMapping("/clock")
	Map<String, Instant> clock() {
		return Map.of("now", this.state.now());
	}

	/**
	 * Sets an account's tier, credits, daily quotas or concurrent limit.
	 */
	@PutMapping("/accounts/{account}")
	SimulatedAccount.View configureAccount(@PathVariable String account, @RequestBody AccountSettings settings) {
		SimulatedAccount.View view;
		try {
			view = this.state.configureAccount(account, settings);
		}
		catch (IllegalArgumentException ex) {
			throw RpcException.invalidArgument(ex.getMessage());
		}
		logger.info("Account {} configured: {}", account, view);
		return view;
	}

	@GetMapping("/accounts/{account}")
	SimulatedAccount.View account(@PathVariable String account) {
		return this.state.accountView(account);
	}

	/**
	 * Registers a source video's aspect ratio, so that a start naming another one is
	 * refused as Flow refuses it.
	 */
	@PostMapping("/sources")
	ResponseEntity<Void> registerSource(@RequestBody SourceVideo source) {
		if (source.mediaId() == null || source.aspectRatio() == null
				|| !source.aspectRatio().startsWith("VIDEO_ASPECT_RATIO_")) {
			throw RpcException.invalidArgument("mediaId and aspectRatio (VIDEO_ASPECT_RATIO_*) are required");
		}
		this.state.registerSource(source.mediaId(), source.aspectRatio());
		return ResponseEntity.noContent().build();
	}

	/**
	 * Makes an operation report a status from now on, such as
	 * {@code MEDIA_GENERATION_STATUS_CANCELED} or
	 * {@code MEDIA_GENERATION_STATUS_COMPLETE}.
	 */
	@PostMapping("/statuses")
	ResponseEntity<Void> reportStatus(@RequestBody ReportedStatus reported) {
		GenerationStatus status = GenerationStatus.of(String.valueOf(reported.status()))
			.orElseThrow(() -> RpcException.invalidArgument("Unknown status: " + reported.status()));
		if (reported.name() == null || !this.state.reportStatus(reported.name(), status)) {
			throw RpcException.notFound("No operation named " + reported.name());
		}
		logger.info("Operation {} reports {} from now on", reported.name(), status.wireName());
		return ResponseEntity.noContent().build();
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

	/**
	 * How far to move the clock.
	 *
	 * @param advanceBy an ISO-8601 duration, such as {@code PT24H}
	 */
	record ClockAdvance(Duration advanceBy) {

	}

	/**
	 * A source video's shape.
	 *
	 * @param mediaId its media generation id
	 * @param aspectRatio {@code VIDEO_ASPECT_RATIO_*}
	 */
	record SourceVideo(@Nullable String mediaId, @Nullable String aspectRatio) {

	}

	/**
	 * A status an operation is to report.
	 *
	 * @param name the operation
	 * @param status a {@code MEDIA_GENERATION_STATUS_*} name, with or without the prefix
	 */
	record ReportedStatus(@Nullable String name, @Nullable String status) {

	}

}
