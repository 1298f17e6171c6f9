package io.veoupscale.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The rules a batch request must meet, shared by the gateway (which answers 400) and the
 * worker (which dead-letters a record that breaks them). Each problem names the field and
 * the rule.
 *
 * @param maxItems the largest number of items a batch may have
 * @param allowedModels the upsampler models a request may name
 */
public record BatchRequestRules(int maxItems, Set<String> allowedModels) {

	/** Longest accepted batch id. */
	public static final int MAX_BATCH_ID_LENGTH = 64;

	/** Longest accepted source generation id. */
	public static final int MAX_SOURCE_ID_LENGTH = 128;

	/** Largest accepted delay between starts. */
	public static final int MAX_DELAY_MS = 60_000;

	/**
	 * Checks the items and the delay of a batch.
	 * @param requests the items, possibly {@code null}
	 * @param delayMs the delay, {@code null} for the default
	 * @return the problems, empty when the batch is valid
	 */
	public List<String> problems(@Nullable List<@Nullable UpscaleRequest> requests, @Nullable Integer delayMs) {
		List<String> problems = new ArrayList<>();
		if (requests == null || requests.isEmpty()) {
			problems.add("requests must contain at least 1 item");
			return problems;
		}
		if (requests.size() > this.maxItems) {
			problems.add("requests must contain at most " + this.maxItems + " items (got " + requests.size() + ")");
			return problems;
		}
		if (delayMs != null && (delayMs < 0 || delayMs > MAX_DELAY_MS)) {
			problems.add("delayMs must be an integer from 0 to " + MAX_DELAY_MS);
		}
		for (int i = 0; i < requests.size(); i++) {
			UpscaleRequest request = requests.get(i);
			String field = "requests[" + i + "]";
			if (request == null) {
				problems.add(field + " must be an object with a sourceGenerationId");
				continue;
			}
			String sourceId = request.sourceGenerationId();
			if (sourceId == null || sourceId.isBlank()) {
				problems.add(field + ".sourceGenerationId must not be blank");
			}
			else if (sourceId.length() > MAX_SOURCE_ID_LENGTH) {
				problems.add(field + ".sourceGenerationId must be at most " + MAX_SOURCE_ID_LENGTH + " characters");
			}
			else if (sourceId.indexOf('\u0000') >= 0) {
				// PostgreSQL text cannot hold NUL: such a batch could never be stored.
				problems.add(field + ".sourceGenerationId must not contain NUL characters");
			}
			if (!this.allowedModels.contains(request.modelOrDefault())) {
				problems.add(field + ".model must be one of "
						+ String.join(", ", this.allowedModels.stream().sorted().toList()) + " (got '" + request.model()
						+ "')");
			}
		}
		return problems;
	}

	/**
	 * Checks a whole command from the requests topic, including its batch id.
	 * @param command the command
	 * @return the problems, empty when the command is valid
	 */
	public List<String> problems(BatchRequested command) {
		List<String> problems = new ArrayList<>();
		if (command.batchId() == null || command.batchId().isBlank()) {
			problems.add("batchId must not be blank");
		}
		else if (command.batchId().length() > MAX_BATCH_ID_LENGTH) {
			problems.add("batchId must be at most " + MAX_BATCH_ID_LENGTH + " characters");
		}
		else if (command.batchId().indexOf('\u0000') >= 0) {
			problems.add("batchId must not contain NUL characters");
		}
		problems.addAll(problems(command.requests(), command.delayMs()));
		return problems;
	}

}
