package io.veoupscale.worker.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.veoupscale.flow.FlowAlreadyExistsException;
import io.veoupscale.flow.FlowClient;
import io.veoupscale.flow.FlowConcurrentLimitException;
import io.veoupscale.flow.FlowException;
import io.veoupscale.flow.FlowOutcomeUnknownException;
import io.veoupscale.flow.FlowQuotaException;
import io.veoupscale.flow.FlowThrottledException;
import io.veoupscale.flow.FlowUnavailableException;
import io.veoupscale.flow.RecaptchaTokenSource;
import io.veoupscale.flow.StartTiming;
import io.veoupscale.flow.StartedUpscale;
import io.veoupscale.flow.UpscaleStart;
import io.veoupscale.flow.AccountCredits;
import io.veoupscale.store.profile.ProfileAccounts;
import io.veoupscale.worker.AccountProperties;
import io.veoupscale.worker.AccountProperties.QuotaHeldItems;
import io.veoupscale.worker.QuotaClock;
import io.veoupscale.worker.WorkerInstance;
import io.veoupscale.worker.batch.BatchRepository.Call;
import io.veoupscale.worker.batch.BatchRepository.Item;
import io.veoupscale.worker.batch.ItemValidator.Ready;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of one item's start that talk to PostgreSQL and Flow: taking its turn, and
 * sending it. A start is sent once at most: its item is marked {@code starting} before it
 * leaves, and whatever Flow answers, or does not, says what happens next. A start that
 * got no answer is never sent again; {@link UpscaleLookup} asks Flow whether it took
 * effect. Longer than most classes because every answer Flow can give a start (2026's
 * throttles, quotas, concurrent limits, refusals, already-existing upscales, no answer)
 * maps to one outcome here, next to the start that met it.
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

	private final AccountProperties accounts;

	private final AccountRules rules;

	private final QuotaClock quotaClock;

	private final ProfileAccounts profileAccounts;

	private final ItemValidator validator;

	private final ItemOutcomes outcomes;

	private final UpscaleLookup lookup;

	private final Map<String, Integer> creditsRecorded = new ConcurrentHashMap<>();

	ItemStarts(BatchRepository batches, ProfileTurns profiles, FlowClient flow, RecaptchaTokenSource recaptcha,
			TransactionTemplate transactions, WorkerInstance instance, Clock clock, AccountProperties accounts,
			AccountRules rules, QuotaClock quotaClock, ProfileAccounts profileAccounts, ItemValidator validator,
			ItemOutcomes outcomes, UpscaleLookup lookup, MeterRegistry meters) {
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
		this.accounts = accounts;
		this.rules = rules;
		this.quotaClock = quotaClock;
		this.profileAccounts = profileAccounts;
		this.validator = validator;
		this.outcomes = outcomes;
		this.lookup = lookup;
	}

	/**
	 * Obtains the profile's access token ahead of the item's turn, so that the start
	 * leaves at once when its turn comes; a failure here is met again, and handled, when
	 * the turn is taken.
	 */
	void warmUp(Ready ready) {
		try {
			session(ready);
		}
		catch (FlowException ex) {
			logger.debug("Session of profile {} not ready yet: {}", ready.profileId(), ex.reason());
		}
	}

	/**
	 * Readies the profile's session; when it was refreshed, reads the account's tier and
	 * credits too.
	 */
	private void session(Ready ready) {
		if (this.flow.prepareSession(ready.sessionToken())) {
			try {
				AccountCredits account = this.flow.credits(ready.sessionToken());
				this.profileAccounts.recordAccount(ready.profileId(), account.rawTier(), account.credits(),
						this.clock.instant());
				if (account.credits() != null) {
					this.creditsRecorded.put(ready.profileId(), account.credits());
				}
				logger.debug("Profile {}: tier {}, {} credits", ready.profileId(), account.tier(), account.credits());
			}
			catch (FlowException | DataAccessException ex) {
				logger.info("Tier and credits of profile {} not read: {}", ready.profileId(), ex.getMessage());
			}
		}
	}

	/**
	 * Takes the item's turn: the profile's session ready, then in one transaction the
	 * lease fence, the profile's turn (unless its account does not allow the start), and
	 * the item marked {@code starting}.
	 * @return the start ready to send at {@code sendAt}, or when to ask again, or why it
	 * cannot be sent
	 * @throws LeaseLostException if the batch's lease passed to another instance
	 */
	TurnResult takeTurn(String batchId, Item item, Ready ready, Instant sendAt) {
		try {
			session(ready);
		}
		catch (FlowUnavailableException ex) {
			return new TurnResult.NotSent(new Outcome.Unavailable(ex.reason(), null));
		}
		catch (FlowException ex) {
			return new TurnResult.NotSent(new Outcome.Failed(FAILED_PREFIX + ex.reason(), null));
		}
		String model = this.flow.modelKey(item.model());
		Instant now = this.clock.instant();
		Instant leaves = sendAt.isAfter(now) ? sendAt : now;
		Timer.Sample sample = Timer.start();
		Marked marked = this.transactions.execute((status) -> {
			Instant leasedUntil = this.batches.markStarting(batchId, this.instance.id(), item.index(), now, leaves);
			ProfileTurns.Decision turn = this.profiles.takeTurn(ready.profileId(), batchId, this.instance.id(), leaves,
					now, model);
			if (turn.askAgainAt() != null || turn.refusal() != null) {
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
		if (decision.refusal() != null) {
			return refused(ready, decision.refusal(), now);
		}
		if (decision.askAgainAt() != null) {
			return new TurnResult.Later(decision.askAgainAt());
		}
		return new TurnResult.Taken(
				new UpscaleStart(item.sceneId(), ready.mediaId(), model, ready.flowProjectId(), ready.aspectRatio(),
						this.recaptcha.token("VIDEO_GENERATION").orElse(null)),
				decision.throttled(), marked.leasedUntil());
	}

	private record Marked(ProfileTurns.Decision decision, Instant leasedUntil) {
	}

	/**
	 * An item the profile's account does not allow: it fails without a call, or, held for
	 * a spent quota and set to wait, asks again when the hold may be over.
	 */
	private TurnResult refused(Ready ready, AccountRules.Refusal refusal, Instant now) {
		if (refusal.heldUntil() != null && this.accounts.quotaHeldItems() == QuotaHeldItems.WAIT) {
			return new TurnResult.Later(now.plus(waitFor(refusal.heldUntil())));
		}
		logger.debug("Profile {}: start refused before any call: {}", ready.profileId(), refusal.reason());
		return new TurnResult.NotSent(new Outcome.Failed(FAILED_PREFIX + refusal.reason(), null));
	}

	/**
	 * How long a held item waits before it asks again: until the hold ends, and no longer
	 * than the recheck interval.
	 */
	private Duration waitFor(Instant heldUntil) {
		Duration left = Duration.between(this.quotaClock.instant(), heldUntil);
		if (left.isNegative()) {
			return Duration.ZERO;
		}
		return (left.compareTo(this.accounts.holdRecheck()) < 0) ? left : this.accounts.holdRecheck();
	}

	/**
	 * Sends the start and says what came of it.
	 */
	Outcome send(Ready ready, TurnResult.Taken turn) {
		UpscaleStart start = turn.start();
		Timing timing = new Timing();
		try {
			StartedUpscale started = this.flow.startUpscale(ready.sessionToken(), start, timing);
			credits(ready, started.remainingCredits(), timing.call().answeredAt());
			if (started.status().isSuccess()) {
				logger.info("Scene {}: Flow had upscaled {} already; its upscale {} is recorded", start.sceneId(),
						start.mediaId(), started.operationName());
			}
			return new Outcome.Started(started, timing.call(), turn.throttled());
		}
		catch (FlowThrottledException ex) {
			return new Outcome.Throttled(ex.reason(), ex.retryAfter(), timing.call());
		}
		catch (FlowConcurrentLimitException ex) {
			refusal(ready, ex.reason());
			logger.info("Profile {}: too many jobs running at Flow ({}); its starts wait {}", ready.profileId(),
					ex.reason(), this.accounts.concurrentLimitWait());
			return new Outcome.Throttled(ex.reason(), this.accounts.concurrentLimitWait(), timing.call());
		}
		catch (FlowUnavailableException ex) {
			return new Outcome.Unavailable(ex.reason(), timing.call());
		}
		catch (FlowOutcomeUnknownException ex) {
			Call call = timing.call();
			logger.warn("Start of scene {} unanswered: {}; asking Flow whether {} exists", start.sceneId(),
					ex.getMessage(), start.upscaledMediaName());
			Instant sent = (call.sentAt() != null) ? call.sentAt() : call.answeredAt();
			return this.lookup.find(ready, start.sceneId(), sent.plus(this.accounts.unknownOutcomeGrace()))
				.<Outcome>map((found) -> new Outcome.Started(found, call, false))
				.orElseGet(() -> new Outcome.Failed(OUTCOME_UNKNOWN, call));
		}
		catch (FlowAlreadyExistsException ex) {
			Call call = timing.call();
			return this.lookup.find(ready, start.sceneId(), this.clock.instant())
				.<Outcome>map((found) -> new Outcome.Started(found, call, false))
				.orElseGet(() -> new Outcome.Failed(FAILED_PREFIX + ex.reason()
						+ " (Flow already runs this scene but did not name its operation, so it cannot be tracked)",
						call));
		}
		catch (FlowQuotaException ex) {
			return quotaSpent(ready, start, ex, timing.call());
		}
		catch (FlowException ex) {
			refusal(ready, ex.reason());
			return new Outcome.Failed(FAILED_PREFIX + ex.reason(), timing.call());
		}
	}

	/**
	 * Holds the profile (or the model) for every worker until the quota resets; the item
	 * fails, or with {@code quota-held-items=wait} waits for the reset.
	 */
	private Outcome quotaSpent(Ready ready, UpscaleStart start, FlowQuotaException ex, Call call) {
		String model = ex.perModel() ? start.model() : null;
		Instant until = this.rules.nextReset(this.quotaClock.instant());
		try {
			until = this.profiles.holdQuota(ready.profileId(), model, ex.reason(), until, this.clock.instant());
		}
		catch (DataAccessException failure) {
			logger.warn("Profile {}: quota hold not recorded: {}", ready.profileId(), failure.getMessage());
		}
		logger.warn("Profile {}: {} spent ({}); held for every worker until {}", ready.profileId(),
				(model != null) ? "the daily quota of " + model : "the account's quota", ex.reason(), until);
		if (this.accounts.quotaHeldItems() == QuotaHeldItems.WAIT) {
			return new Outcome.Throttled(ex.reason(), waitFor(until), call);
		}
		return new Outcome.Failed(FAILED_PREFIX + AccountRules.quotaHeld(ex.reason(), model, until), call);
	}

	/**
	 * Keeps the credits a start's answer reported when they changed, before the profile's
	 * next turn can be taken: that turn checks its cost against them.
	 */
	private void credits(Ready ready, @Nullable Integer credits, Instant answeredAt) {
		if (credits == null || credits.equals(this.creditsRecorded.get(ready.profileId()))) {
			return;
		}
		try {
			this.profileAccounts.recordCredits(ready.profileId(), credits, answeredAt);
			this.creditsRecorded.put(ready.profileId(), credits);
		}
		catch (DataAccessException ex) {
			logger.debug("Credits of profile {} not recorded: {}", ready.profileId(), ex.getMessage());
		}
	}

	private void refusal(Ready ready, String reason) {
		try {
			this.profiles.recordRefusal(ready.profileId(), reason, this.clock.instant());
		}
		catch (DataAccessException ex) {
			logger.debug("Refusal of profile {} not recorded: {}", ready.profileId(), ex.getMessage());
		}
	}

	/**
	 * Resolves an item a stopped worker left {@code starting}: its start may have reached
	 * Flow, and is never sent again. When Flow has the upscale of its source, the item is
	 * recorded as started (and tracked); when it has not by the end of the grace after
	 * the start, the item fails as "outcome unknown".
	 */
	void resolveInterrupted(BatchWork batch, Item item) {
		Ready ready = this.validator.validate(item.sourceGenerationId(), this.clock.instant()).ready();
		Instant sentAt = (item.attemptStartedAt() != null) ? item.attemptStartedAt() : this.clock.instant();
		Optional<StartedUpscale> found = (ready != null)
				? this.lookup.find(ready, item.sceneId(), sentAt.plus(this.accounts.unknownOutcomeGrace()))
				: Optional.empty();
		Call call = new Call(sentAt, this.clock.instant());
		if (found.isPresent()) {
			logger.info("batch {}: item {} was started before its worker stopped; Flow has {}", batch.id(),
					item.index(), found.get().operationName());
			this.outcomes.started(batch, item, ready, new Outcome.Started(found.get(), call, false));
		}
		else {
			this.outcomes.failed(batch, item, OUTCOME_UNKNOWN, null, null);
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
		 * Flow throttled the profile, or it runs too many jobs, or (set to wait) its
		 * quota is spent; the item is tried again after the pause.
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
