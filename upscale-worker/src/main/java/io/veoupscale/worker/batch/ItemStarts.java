package io.veoupscale.worker.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.veoupscale.flow.FlowAlreadyExistsException;
import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.FlowException;
import io.veoupscale.flow.FlowOutcomeUnknownException;
import io.veoupscale.flow.FlowThrottledException;
import io.veoupscale.flow.FlowUnavailableException;
import io.veoupscale.flow.RecaptchaTokenSource;
import io.veoupscale.flow.StartTiming;
import io.veoupscale.flow.StartedUpscale;
import io.veoupscale.flow.UpscaleStart;
import io.veoupscale.worker.WorkerInstance;
import io.veoupscale.worker.batch.BatchRepository.Call;
import io.veoupscale.worker.batch.BatchRepository.Item;
import io.veoupscale.worker.batch.ItemValidator.Ready;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of one item's start that talk to PostgreSQL and Flow: taking its turn, and
 * sending it. A start is sent once at most: its item is marked {@code starting} before it
 * leaves, and whatever Flow answers, or does not, says what happens next.
 */
@Component
class ItemStarts {

	private static final Logger logger = LoggerFactory.getLogger(ItemStarts.class);

	static final String FAILED_PREFIX = "Upscale request failed: ";

	static final String OUTCOME_UNKNOWN = FAILED_PREFIX
			+ "outcome unknown (the start was sent but no answer came); not resubmitted to avoid a duplicate";

	private final BatchRepository batches;

	private final ProfileTurns profiles;

	private final FlowClient flow;

	private final RecaptchaTokenSource recaptcha;

	private final TransactionTemplate transactions;

	private final WorkerInstance instance;

	private final Clock clock;

	private final Timer turnTransactions;

	ItemStarts(BatchRepository batches, ProfileTurns profiles, FlowClient flow, RecaptchaTokenSource recaptcha,
			TransactionTemplate transactions, WorkerInstance instance, Clock clock, MeterRegistry meters) {
		this.batches = batches;
		this.profiles = profiles;
		this.flow = flow;
		this.recaptcha = recaptcha;
		this.transactions = transactions;
		this.instance = instance;
		this.clock = clock;
		this.turnTransactions = Timer.builder("upscale.turn.transaction")
			.description("Time the transaction that takes an item's turn takes")
			.register(meters);
	}

	/**
	 * Obtains the profile's access token ahead of the item's turn, so that the start
	 * leaves at once when its turn comes; a failure here is met again, and handled, when
	 * the turn is taken.
	 */
	void warmUp(Ready ready) {
		try {
			this.flow.prepareSession(ready.sessionToken());
		}
		catch (FlowException ex) {
			logger.debug("Session of profile {} not ready yet: {}", ready.profileId(), ex.reason());
		}
	}

	/**
	 * Takes the item's turn: the profile's session ready, then in one transaction the
	 * lease fence, the profile's turn, and the item marked {@code starting}.
	 * @return the start ready to send at {@code sendAt}, or when to ask again, or why it
	 * cannot be sent
	 * @throws LeaseLostException if the batch's lease passed to another instance
	 */
	TurnResult takeTurn(String batchId, Item item, Ready ready, Instant sendAt) {
		try {
			this.flow.prepareSession(ready.sessionToken());
		}
		catch (FlowUnavailableException ex) {
			return new TurnResult.NotSent(new Outcome.Unavailable(ex.reason(), null));
		}
		catch (FlowException ex) {
			return new TurnResult.NotSent(new Outcome.Failed(FAILED_PREFIX + ex.reason(), null));
		}
		UpscaleStart start = new UpscaleStart(item.sceneId(), ready.mediaId(), item.model(), ready.flowProjectId(),
				null, this.recaptcha.token("VIDEO_GENERATION").orElse(null));
		Instant now = this.clock.instant();
		Instant leaves = sendAt.isAfter(now) ? sendAt : now;
		Timer.Sample sample = Timer.start();
		Marked marked = this.transactions.execute((status) -> {
			Instant leasedUntil = this.batches.markStarting(batchId, this.instance.id(), item.index(), now, leaves);
			ProfileTurns.Decision turn = this.profiles.takeTurn(ready.profileId(), batchId, this.instance.id(), leaves,
					now);
			if (turn.askAgainAt() != null) {
				status.setRollbackOnly();
			}
			return new Marked(turn, leasedUntil);
		});
		sample.stop(this.turnTransactions);
		ProfileTurns.Decision decision = Objects.requireNonNull(marked).decision();
		if (decision.staleInFlight() != null) {
			this.transactions.executeWithoutResult((status) -> this.profiles.settle(ready.profileId(),
					decision.staleInFlight(), null, now, false, false));
		}
		return (decision.askAgainAt() != null) ? new TurnResult.Later(decision.askAgainAt())
				: new TurnResult.Taken(start, decision.throttled(), marked.leasedUntil());
	}

	private record Marked(ProfileTurns.Decision decision, Instant leasedUntil) {
	}

	/**
	 * Sends the start and says what came of it.
	 */
	Outcome send(Ready ready, TurnResult.Taken turn) {
		UpscaleStart start = turn.start();
		Timing timing = new Timing();
		try {
			StartedUpscale started = this.flow.startUpscale(ready.sessionToken(), start, timing);
			return new Outcome.Started(started, timing.call(), turn.throttled());
		}
		catch (FlowThrottledException ex) {
			return new Outcome.Throttled(ex.reason(), ex.retryAfter(), timing.call());
		}
		catch (FlowUnavailableException ex) {
			return new Outcome.Unavailable(ex.reason(), timing.call());
		}
		catch (FlowOutcomeUnknownException ex) {
			logger.warn("Start of scene {} unanswered: {}", start.sceneId(), ex.getMessage());
			return new Outcome.Failed(OUTCOME_UNKNOWN, timing.call());
		}
		catch (FlowAlreadyExistsException ex) {
			return new Outcome.Failed(
					FAILED_PREFIX + ex.reason()
							+ " (Flow already runs this scene but did not name its operation, so it cannot be tracked)",
					timing.call());
		}
		catch (FlowException ex) {
			return new Outcome.Failed(FAILED_PREFIX + ex.reason(), timing.call());
		}
	}

	/**
	 * The two moments of a start on the wire, on the worker's clock.
	 */
	private final class Timing implements StartTiming {

		private @Nullable Instant sentAt;

		private @Nullable Instant answeredAt;

		@Override
		public void beforeSend() {
			this.sentAt = ItemStarts.this.clock.instant();
		}

		@Override
		public void answered() {
			this.answeredAt = ItemStarts.this.clock.instant();
		}

		/**
		 * The call as it went: when no answer came, it ended now.
		 */
		Call call() {
			return new Call(this.sentAt, (this.answeredAt != null) ? this.answeredAt : ItemStarts.this.clock.instant());
		}

	}

	/**
	 * What came of taking an item's turn.
	 */
	sealed interface TurnResult {

		/**
		 * The turn is this item's; the start is to leave at its time.
		 *
		 * @param throttled whether the profile had met throttles, which an accepted start
		 * clears
		 * @param leasedUntil until when the batch's lease holds: the start must not leave
		 * later
		 */
		record Taken(UpscaleStart start, boolean throttled, Instant leasedUntil) implements TurnResult {
		}

		/**
		 * Not yet: another start of the profile is in flight, or the profile is paused.
		 */
		record Later(Instant askAgainAt) implements TurnResult {
		}

		/**
		 * The start cannot leave; nothing was sent.
		 */
		record NotSent(Outcome outcome) implements TurnResult {
		}

	}

	/**
	 * What came of a start.
	 */
	sealed interface Outcome {

		/**
		 * The start on the wire, or null if none left.
		 */
		@Nullable Call call();

		/**
		 * Flow took the start.
		 *
		 * @param clearsThrottle whether the profile's throttles are to be forgotten
		 */
		record Started(StartedUpscale upscale, Call call, boolean clearsThrottle) implements Outcome {
		}

		/**
		 * Flow throttled the profile; the item is tried again after the pause.
		 */
		record Throttled(String reason, @Nullable Duration retryAfter, Call call) implements Outcome {
		}

		/**
		 * Flow could not be reached or failed transiently; the start certainly did not
		 * take effect, and is retried with back-off.
		 */
		record Unavailable(String reason, @Nullable Call call) implements Outcome {
		}

		/**
		 * The item ends as failed with this error.
		 */
		record Failed(String error, @Nullable Call call) implements Outcome {
		}

	}

}
