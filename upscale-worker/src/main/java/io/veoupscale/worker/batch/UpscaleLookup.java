package io.veoupscale.worker.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.FlowException;
import io.veoupscale.flow.MediaGenerationStatus;
import io.veoupscale.flow.MediaRef;
import io.veoupscale.flow.MediaStatus;
import io.veoupscale.flow.StartedUpscale;
import io.veoupscale.flow.StatusReport;
import io.veoupscale.flow.UpscaleStart;
import io.veoupscale.worker.AccountProperties;
import io.veoupscale.worker.batch.ItemValidator.Ready;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells whether a start whose answer did not say took effect: Flow names an upscale after
 * its source, so the start took effect when Flow has {@code <mediaId>_upsampled} in any
 * status but failed or cancelled. Asked every
 * {@code accounts.unknown-outcome-probe-interval} until a deadline, as a start may reach
 * Flow late.
 */
@Component
class UpscaleLookup {

	private static final Logger logger = LoggerFactory.getLogger(UpscaleLookup.class);

	private final FlowClient flow;

	private final AccountProperties accounts;

	private final Clock clock;

	UpscaleLookup(FlowClient flow, AccountProperties accounts, Clock clock) {
		this.flow = flow;
		this.accounts = accounts;
		this.clock = clock;
	}

	/**
	 * Asks Flow whether the upscale of the item's source exists, again and again until
	 * the deadline: a start that took effect shows as {@code <mediaId>_upsampled} in any
	 * status but failed or cancelled.
	 * @param deadline the last moment to ask; asked once when it has passed
	 * @return the upscale, if Flow has it
	 */
	Optional<StartedUpscale> find(Ready ready, String sceneId, Instant deadline) {
		MediaRef upscale = new MediaRef(UpscaleStart.upscaledMediaName(ready.mediaId()), ready.flowProjectId(),
				sceneId);
		Duration interval = this.accounts.unknownOutcomeProbeInterval();
		Duration left = Duration.between(this.clock.instant(), deadline);
		long retries = left.isNegative() ? 0 : left.toMillis() / interval.toMillis();
		RetryTemplate probes = new RetryTemplate(
				RetryPolicy.builder().maxRetries(retries).delay(interval).includes(NotFound.class).build());
		try {
			return Optional.of(probes.execute(() -> probe(ready, upscale)));
		}
		catch (RetryException ex) {
			return Optional.empty();
		}
	}

	private StartedUpscale probe(Ready ready, MediaRef upscale) {
		try {
			StatusReport report = this.flow.checkStatus(ready.sessionToken(), List.of(upscale));
			for (MediaStatus media : report.media()) {
				if (upscale.name().equals(media.name()) && media.status().isKnown()
						&& media.status() != MediaGenerationStatus.FAILED
						&& media.status() != MediaGenerationStatus.CANCELED) {
					return new StartedUpscale(upscale.name(), String.valueOf(upscale.sceneId()), media.status(),
							report.remainingCredits());
				}
			}
		}
		catch (FlowException ex) {
			logger.debug("Asking Flow for {} failed: {}", upscale.name(), ex.reason());
		}
		throw new NotFound();
	}

	/**
	 * Flow does not have the upscale (yet).
	 */
	private static final class NotFound extends RuntimeException {

		NotFound() {
			super("not found", null, false, false);
		}

	}

}
