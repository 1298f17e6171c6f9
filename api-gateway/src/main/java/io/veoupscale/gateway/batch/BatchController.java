package io.veoupscale.gateway.batch;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import io.veoupscale.events.BatchRequestRules;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.gateway.GatewayProperties;
import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.gateway.web.ApiResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed's {@code veo3:upscale:multipleAsync}: validates a batch, queues it, answers at
 * once with its id.
 */
@RestController
@RequestMapping("/api/v1/upscale-batches")
class BatchController {

	private final BatchPublisher publisher;

	private final BatchRequestRules rules;

	private final Clock clock;

	BatchController(BatchPublisher publisher, GatewayProperties properties, Clock clock) {
		this.publisher = publisher;
		this.rules = new BatchRequestRules(properties.maxItemsPerBatch(), properties.allowedModels());
		this.clock = clock;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.ACCEPTED)
	ApiResponse<BatchAccepted> submitAsync(@RequestBody BatchSubmission submission) {
		List<String> problems = this.rules.problems(submission.requests(), submission.delayMs());
		if (!problems.isEmpty()) {
			throw new ApiException(HttpStatus.BAD_REQUEST, String.join("; ", problems));
		}
		String batchId = UUID.randomUUID().toString().replace("-", "");
		BatchRequested command = new BatchRequested(batchId, List.copyOf(submission.requests()),
				(submission.delayMs() != null) ? submission.delayMs() : BatchRequested.DEFAULT_DELAY_MS,
				this.clock.instant());
		this.publisher.publish(command);
		return ApiResponse.ok(new BatchAccepted(batchId, command.requests().size()));
	}

}
