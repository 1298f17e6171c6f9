package io.veoupscale.gateway.batch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.UpscaleJson;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.gateway.GatewayProperties;
import io.veoupscale.gateway.idempotency.IdempotencyClaim;
import io.veoupscale.gateway.idempotency.IdempotencyKeys;
import io.veoupscale.gateway.web.ApiException;
import io.veoupscale.store.webhook.WebhookSubscriptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a batch submission: claims its Idempotency-Key (replaying a stored answer, or
 * refusing a concurrent or different duplicate), hands the batch to Kafka, records it as
 * accepted once Kafka acknowledged it, and for sync submissions waits until every item
 * was initiated or the sync timeout passed. A little longer than most classes: the
 * Idempotency-Key's claim, replay and release wrap every outcome of a submission, async
 * or sync.
 */
@Service
class BatchSubmissions {

	private static final Logger logger = LoggerFactory.getLogger(BatchSubmissions.class);

	private final BatchPublisher publisher;

	private final SyncWaiters waiters;

	private final BatchQueries queries;

	private final IdempotencyKeys keys;

	private final AcceptedBatches accepted;

	private final TransactionTemplate transactions;

	private final GatewayProperties properties;

	private final JsonMapper json;

	private final Clock clock;

	private final Executor executor;

	private final WebhookSubscriptions webhooks;

	BatchSubmissions(BatchPublisher publisher, SyncWaiters waiters, BatchQueries queries, IdempotencyKeys keys,
			AcceptedBatches accepted, TransactionTemplate transactions, GatewayProperties properties, JsonMapper json,
			Clock clock, @Qualifier("applicationTaskExecutor") Executor executor, WebhookSubscriptions webhooks) {
		this.webhooks = webhooks;
		this.publisher = publisher;
		this.waiters = waiters;
		this.queries = queries;
		this.keys = keys;
		this.accepted = accepted;
		this.transactions = transactions;
		this.properties = properties;
		this.json = json;
		this.clock = clock;
		this.executor = executor;
	}

	/**
	 * Submits a batch.
	 * @param submission the checked request
	 * @param mode async or sync
	 * @param idempotency the caller and its Idempotency-Key, if it sent one
	 * @return the answer; for sync submissions, once every item was initiated or the sync
	 * timeout passed
	 * @throws ApiException 409, 422 or 503, before anything was started
	 */
	CompletableFuture<Answer> submit(BatchSubmission submission, Mode mode, @Nullable Idempotency idempotency) {
		String batchId;
		if (idempotency != null) {
			IdempotencyClaim claim = this.keys.claim(idempotency.client(), idempotency.key(),
					fingerprint(mode, submission), timeout(mode), BatchSubmissions::newBatchId);
			if (claim instanceof IdempotencyClaim.Replay replay) {
				return CompletableFuture.completedFuture(new Answer(replay.status(), replay.body(), true));
			}
			if (claim instanceof IdempotencyClaim.InProgress) {
				throw new ApiException(HttpStatus.CONFLICT,
						"A request with this Idempotency-Key is still in progress; retry once it has been answered");
			}
			if (claim instanceof IdempotencyClaim.Mismatch) {
				throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY,
						"This Idempotency-Key was already used with a different request (body or endpoint); "
								+ "send a new key for a new request");
			}
			batchId = ((IdempotencyClaim.Proceed) claim).resourceId();
		}
		else {
			batchId = newBatchId();
		}
		List<UpscaleRequest> requests = submission.requests();
		BatchRequested command = new BatchRequested(batchId, requests, submission.delayMsOrDefault(),
				this.clock.instant(), submission.callbackUrl());
		if (submission.callbackUrl() != null) {
			// Before the batch exists, so that its first event already finds the
			// subscription.
			this.webhooks.subscribeCallback(batchId, submission.callbackUrl());
		}
		CompletableFuture<Void> initiated = (mode == Mode.SYNC) ? this.waiters.register(batchId, requests.size())
				: null;
		try {
			this.publisher.publish(command);
		}
		catch (RuntimeException ex) {
			this.waiters.forget(batchId);
			release(idempotency, batchId);
			throw ex;
		}
		Instant acceptedAt = this.clock.instant();
		if (initiated == null) {
			Answer answer = new Answer(HttpStatus.ACCEPTED.value(),
					this.json.writeValueAsString(new AcceptedAnswer(new BatchAccepted(batchId, requests.size()))),
					false);
			if (idempotency == null) {
				// One statement, so no transaction around it.
				this.accepted.record(command, acceptedAt);
			}
			else {
				this.transactions.executeWithoutResult((status) -> {
					this.accepted.record(command, acceptedAt);
					remember(idempotency, batchId, answer);
				});
			}
			return CompletableFuture.completedFuture(answer);
		}
		recordAccepted(command, acceptedAt);
		return initiated.completeOnTimeout(null, this.properties.syncTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.thenApplyAsync((ignored) -> {
				SyncAnswer result = SyncAnswer.of(batchId, this.queries.syncResults(batchId, requests));
				Answer answer = new Answer(result.complete() ? HttpStatus.OK.value() : HttpStatus.ACCEPTED.value(),
						this.json.writeValueAsString(result), false);
				remember(idempotency, batchId, answer);
				return answer;
			}, this.executor)
			.whenComplete((answer, ex) -> {
				if (ex != null) {
					release(idempotency, batchId);
				}
			});
	}

	/**
	 * How long a submission may take before its answer is due.
	 * @param mode async or sync
	 * @return the time
	 */
	Duration timeout(Mode mode) {
		Duration publish = this.properties.publishTimeout();
		return (mode == Mode.SYNC) ? publish.plus(this.properties.syncTimeout()) : publish;
	}

	/**
	 * Records a sync batch as accepted as soon as Kafka has it, so that it can be looked
	 * up while the request waits; the answer does not depend on it.
	 */
	private void recordAccepted(BatchRequested command, Instant acceptedAt) {
		try {
			this.accepted.record(command, acceptedAt);
		}
		catch (RuntimeException ex) {
			logger.warn("batch {}: queued in Kafka, but not recorded as accepted ({}); "
					+ "it is not found until a worker receives it", command.batchId(), ex.toString());
		}
	}

	private void remember(@Nullable Idempotency idempotency, String batchId, Answer answer) {
		if (idempotency != null) {
			this.keys.complete(idempotency.client(), idempotency.key(), batchId, answer.status(), answer.body());
		}
	}

	private void release(@Nullable Idempotency idempotency, String batchId) {
		if (idempotency != null) {
			this.keys.release(idempotency.client(), idempotency.key(), batchId);
		}
	}

	static String newBatchId() {
		return UUID.randomUUID().toString().replace("-", "");
	}

	/**
	 * A digest of the endpoint and the request with its defaults applied, so that the
	 * same request written differently (key order, spacing, unknown fields, an explicit
	 * default) counts as the same body.
	 */
	static String fingerprint(Mode mode, BatchSubmission submission) {
		List<UpscaleRequest> items = submission.requests()
			.stream()
			.map((request) -> new UpscaleRequest(request.sourceGenerationId(), request.modelOrDefault()))
			.toList();
		String canonical = mode.name() + "\n" + UpscaleJson
			.write(new BatchSubmission(items, submission.delayMsOrDefault(), submission.callbackUrl()));
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/**
	 * The two batch endpoints.
	 */
	enum Mode {

		/** Answer once the batch is in Kafka. */
		ASYNC,

		/** Answer once every item was initiated, or at the sync timeout. */
		SYNC

	}

	/**
	 * The caller of a request and the Idempotency-Key it sent.
	 *
	 * @param client the caller's id
	 * @param key the key
	 */
	record Idempotency(String client, String key) {
	}

	/**
	 * An HTTP answer, kept as sent so that a replay is identical.
	 *
	 * @param status the HTTP status
	 * @param body the JSON body
	 * @param replayed whether it answers an earlier request with the same key
	 */
	record Answer(int status, String body, boolean replayed) {
	}

}
