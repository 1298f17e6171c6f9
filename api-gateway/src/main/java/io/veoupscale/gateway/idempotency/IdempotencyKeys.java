package io.veoupscale.gateway.idempotency;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Idempotency keys in PostgreSQL, scoped per API client. A key fixes the id of what its
 * request creates at first use, so a retry after a failure or a crash re-creates the same
 * batch (which the worker processes once) instead of a second one.
 */
@Repository
public class IdempotencyKeys {

	private static final Logger logger = LoggerFactory.getLogger(IdempotencyKeys.class);

	private final JdbcClient jdbc;

	private final IdempotencyProperties properties;

	private final Clock clock;

	IdempotencyKeys(JdbcClient jdbc, IdempotencyProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Claims a key for a request.
	 * @param client the caller
	 * @param key the Idempotency-Key
	 * @param requestHash a digest of the endpoint and the canonical request body
	 * @param requestTimeout how long the request may take; the key is held in-flight for
	 * that long plus the configured margin
	 * @param newResourceId makes the id of the resource, when the key is new
	 * @return what the request may do
	 */
	@Transactional
	public IdempotencyClaim claim(String client, String key, String requestHash, Duration requestTimeout,
			Supplier<String> newResourceId) {
		Instant now = this.clock.instant();
		Timestamp lockedUntil = Timestamp.from(now.plus(requestTimeout).plus(this.properties.leaseMargin()));
		String fresh = newResourceId.get();
		int inserted = this.jdbc.sql("""
				insert into idempotency_keys (client, idempotency_key, request_hash, resource_id, state, locked_until,
				                              created_at)
				values (:client, :key, :hash, :resourceId, 'in_flight', :lockedUntil, :now)
				on conflict (client, idempotency_key) do nothing
				""")
			.param("client", client)
			.param("key", key)
			.param("hash", requestHash)
			.param("resourceId", fresh)
			.param("lockedUntil", lockedUntil)
			.param("now", Timestamp.from(now))
			.update();
		if (inserted == 1) {
			return new IdempotencyClaim.Proceed(fresh);
		}
		Optional<StoredKey> stored = this.jdbc.sql("""
				select request_hash, resource_id, state, locked_until, response_status, response_body, created_at
				from idempotency_keys
				where client = :client and idempotency_key = :key
				for update
				""").param("client", client).param("key", key).query(StoredKey.class).optional();
		if (stored.isEmpty()) {
			// Purged between the two statements: the key is new again.
			return claim(client, key, requestHash, requestTimeout, () -> fresh);
		}
		StoredKey row = stored.get();
		if (row.createdAt().toInstant().isBefore(now.minus(this.properties.ttl()))) {
			this.jdbc
				.sql("""
						update idempotency_keys
						set request_hash = :hash, resource_id = :resourceId, state = 'in_flight', locked_until = :lockedUntil,
						    response_status = null, response_body = null, created_at = :now, completed_at = null
						where client = :client and idempotency_key = :key
						""")
				.param("hash", requestHash)
				.param("resourceId", fresh)
				.param("lockedUntil", lockedUntil)
				.param("now", Timestamp.from(now))
				.param("client", client)
				.param("key", key)
				.update();
			return new IdempotencyClaim.Proceed(fresh);
		}
		if (!row.requestHash().equals(requestHash)) {
			return new IdempotencyClaim.Mismatch();
		}
		if ("completed".equals(row.state()) && row.responseStatus() != null && row.responseBody() != null) {
			return new IdempotencyClaim.Replay(row.responseStatus(), row.responseBody());
		}
		if ("in_flight".equals(row.state()) && row.lockedUntil() != null
				&& row.lockedUntil().toInstant().isAfter(now)) {
			return new IdempotencyClaim.InProgress();
		}
		this.jdbc.sql("""
				update idempotency_keys set state = 'in_flight', locked_until = :lockedUntil
				where client = :client and idempotency_key = :key
				""").param("lockedUntil", lockedUntil).param("client", client).param("key", key).update();
		logger.info("idempotency key of resource {}: taken over after an earlier attempt did not finish",
				row.resourceId());
		return new IdempotencyClaim.Proceed(row.resourceId());
	}

	/**
	 * Stores the answer of a request, to be replayed for the same key.
	 * @param client the caller
	 * @param key the Idempotency-Key
	 * @param resourceId the resource id the claim returned
	 * @param status the HTTP status
	 * @param body the JSON body
	 */
	public void complete(String client, String key, String resourceId, int status, String body) {
		this.jdbc.sql("""
				update idempotency_keys
				set state = 'completed', locked_until = null, response_status = :status, response_body = :body,
				    completed_at = :now
				where client = :client and idempotency_key = :key and resource_id = :resourceId and state = 'in_flight'
				""")
			.param("status", status)
			.param("body", body)
			.param("now", Timestamp.from(this.clock.instant()))
			.param("client", client)
			.param("key", key)
			.param("resourceId", resourceId)
			.update();
	}

	/**
	 * Frees a key whose request failed before anything was known to start; a retry with
	 * the same key and body proceeds with the same resource id.
	 * @param client the caller
	 * @param key the Idempotency-Key
	 * @param resourceId the resource id the claim returned
	 */
	public void release(String client, String key, String resourceId) {
		this.jdbc.sql("""
				update idempotency_keys set state = 'released', locked_until = null
				where client = :client and idempotency_key = :key and resource_id = :resourceId and state = 'in_flight'
				""").param("client", client).param("key", key).param("resourceId", resourceId).update();
	}

	/**
	 * Deletes keys older than their time to live.
	 */
	void purge() {
		int deleted = this.jdbc.sql("delete from idempotency_keys where created_at < :cutoff")
			.param("cutoff", Timestamp.from(this.clock.instant().minus(this.properties.ttl())))
			.update();
		if (deleted > 0) {
			logger.info("Deleted {} expired idempotency keys", deleted);
		}
	}

	record StoredKey(String requestHash, String resourceId, String state, @Nullable Timestamp lockedUntil,
			@Nullable Integer responseStatus, @Nullable String responseBody, Timestamp createdAt) {
	}

}
