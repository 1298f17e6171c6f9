package io.veoupscale.gateway.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import io.veoupscale.events.BatchRequestRules;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.gateway.web.JsonFields;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;

/**
 * Reads a batch request from its JSON tree strictly (an integer is an integer, a string a
 * string) and checks it with the rules the worker applies too; unknown fields are
 * ignored. Every problem names the field and the rule.
 */
final class BatchSubmissionReader {

	private static final int PROBLEMS_SHOWN = 10;

	private final BatchRequestRules rules;

	BatchSubmissionReader(BatchRequestRules rules) {
		this.rules = rules;
	}

	/**
	 * Reads and checks a request body.
	 * @param body the parsed body
	 * @return the submission
	 * @throws ApiException 400 naming every problem
	 */
	BatchSubmission read(@Nullable JsonNode body) {
		if (body == null || !body.isObject()) {
			throw invalid(List.of("Request body must be a JSON object with a requests array"));
		}
		List<String> problems = new ArrayList<>();
		List<@Nullable UpscaleRequest> requests = requests(body.get("requests"), problems);
		Integer delayMs = delayMs(body.get("delayMs"), problems);
		String callbackUrl = JsonFields.text(body.get("callbackUrl"),
				"callbackUrl must be a string, an http or https URL", problems);
		if (problems.isEmpty()) {
			problems.addAll(this.rules.problems(requests, delayMs));
		}
		if (!problems.isEmpty()) {
			throw invalid(problems);
		}
		return new BatchSubmission(List.copyOf(Objects.requireNonNull(requests)), delayMs, callbackUrl);
	}

	private @Nullable List<@Nullable UpscaleRequest> requests(@Nullable JsonNode node, List<String> problems) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isArray()) {
			problems.add("requests must be an array of objects with a sourceGenerationId");
			return null;
		}
		if (node.size() > this.rules.maxItems()) {
			return new ArrayList<>(Collections.nCopies(node.size(), null));
		}
		List<@Nullable UpscaleRequest> requests = new ArrayList<>(node.size());
		for (int i = 0; i < node.size(); i++) {
			JsonNode item = node.get(i);
			if (!item.isObject()) {
				requests.add(null);
				continue;
			}
			String field = "requests[" + i + "]";
			String sourceId = JsonFields.text(item.get("sourceGenerationId"),
					field + ".sourceGenerationId must be a string", problems);
			String model = JsonFields.text(item.get("model"), field + ".model must be a string, one of "
					+ String.join(", ", this.rules.allowedModels().stream().sorted().toList()), problems);
			requests.add(new UpscaleRequest(sourceId, model));
		}
		return requests;
	}

	private static @Nullable Integer delayMs(@Nullable JsonNode node, List<String> problems) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isIntegralNumber() || !node.canConvertToInt()) {
			problems.add("delayMs must be an integer from 0 to " + BatchRequestRules.MAX_DELAY_MS);
			return null;
		}
		return node.intValue();
	}

	private static ApiException invalid(List<String> problems) {
		List<String> shown = problems.subList(0, Math.min(problems.size(), PROBLEMS_SHOWN));
		String message = String.join("; ", shown);
		if (problems.size() > PROBLEMS_SHOWN) {
			message += "; and " + (problems.size() - PROBLEMS_SHOWN) + " more problems";
		}
		return new ApiException(HttpStatus.BAD_REQUEST, message);
	}

}
