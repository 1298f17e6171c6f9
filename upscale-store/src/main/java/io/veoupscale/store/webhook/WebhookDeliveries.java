package io.veoupscale.store.webhook;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The deliveries table the db-scheduler way: senders claim due rows in one statement
 * ({@code FOR UPDATE SKIP LOCKED}) under a lease, then record the outcome only while the
 * lease is theirs. Only the oldest pending delivery of a subscription and batch is ever
 * due, so each receiver gets a batch's events in order. A little longer than most
 * classes: one statement per step of a delivery (claim, delivered, retry, failed, list,
 * redeliver), each with its lease check.
 */
@Component
public class WebhookDeliveries {

	private final JdbcClient jdbc;

	WebhookDeliveries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Leases due deliveries of active subscriptions, counting the attempt.
	 * @param instance the claiming instance
	 * @param now the current time
	 * @param lease how long they are reserved
	 * @param limit the most claimed
	 * @return the claimed deliveries with their subscriptions' URL and secret
	 */
	public List<Claimed> claim(String instance, Instant now, Duration lease, int limit) {
		return this.jdbc.sql("""
				with heads as materialized (
				    select distinct on (subscription_id, batch_id) id, next_attempt_at, leased_until
				    from webhook_deliveries
				    where status = 'pending'
				    order by subscription_id, batch_id, event_seq),
				due as (
				    select d.id from heads h
				    join webhook_deliveries d on d.id = h.id
				    join webhook_subscriptions s on s.id = d.subscription_id and s.status = 'active'
				    where h.next_attempt_at <= :now and (h.leased_until is null or h.leased_until <= :now)
				      and d.status = 'pending' and d.next_attempt_at <= :now
				      and (d.leased_until is null or d.leased_until <= :now)
				    order by d.next_attempt_at, d.id
				    limit :limit
				    for update of d skip locked)
				update webhook_deliveries d
				set leased_by = :instance, leased_until = :leaseEnd, attempts = d.attempts + 1,
				    first_attempt_at = coalesce(d.first_attempt_at, :now), last_attempt_at = :now,
				    version = d.version + 1
				from due, webhook_subscriptions s
				where d.id = due.id and s.id = d.subscription_id
				returning d.id, d.subscription_id, s.url, s.secret, d.payload, d.occurred_at, d.attempts,
				    d.first_attempt_at, d.version
				""")
			.param("now", Timestamp.from(now))
			.param("leaseEnd", Timestamp.from(now.plus(lease)))
			.param("instance", instance)
			.param("limit", limit)
			.query((rs, row) -> new Claimed(rs.getLong("id"), rs.getString("subscription_id"), rs.getString("url"),
					rs.getBytes("secret"), rs.getString("payload"), rs.getTimestamp("occurred_at").toInstant(),
					rs.getInt("attempts"), rs.getTimestamp("first_attempt_at").toInstant(), rs.getLong("version")))
			.list();
	}

	/**
	 * Records a delivery the receiver accepted.
	 * @return whether the lease was still this claim's
	 */
	public boolean delivered(Claimed claimed, int httpStatus, Instant now) {
		return this.jdbc.sql("""
				update webhook_deliveries
				set status = 'delivered', delivered_at = :now, last_http_status = :httpStatus, last_error = null,
				    leased_by = null, leased_until = null, version = version + 1
				where id = :id and version = :version
				""")
			.param("now", Timestamp.from(now))
			.param("httpStatus", httpStatus)
			.param("id", claimed.id())
			.param("version", claimed.version())
			.update() == 1;
	}

	/**
	 * Records a failed attempt to be retried.
	 * @return whether the lease was still this claim's
	 */
	public boolean retry(Claimed claimed, @Nullable Integer httpStatus, String error, Instant next) {
		return this.jdbc.sql("""
				update webhook_deliveries
				set next_attempt_at = :next, last_http_status = :httpStatus, last_error = :error,
				    leased_by = null, leased_until = null, version = version + 1
				where id = :id and version = :version
				""")
			.param("next", Timestamp.from(next))
			.param("httpStatus", httpStatus)
			.param("error", error)
			.param("id", claimed.id())
			.param("version", claimed.version())
			.update() == 1;
	}

	/**
	 * Records a delivery given up.
	 * @return whether the lease was still this claim's
	 */
	public boolean failed(Claimed claimed, @Nullable Integer httpStatus, String error) {
		return this.jdbc.sql("""
				update webhook_deliveries
				set status = 'failed', last_http_status = :httpStatus, last_error = :error,
				    leased_by = null, leased_until = null, version = version + 1
				where id = :id and version = :version
				""")
			.param("httpStatus", httpStatus)
			.param("error", error)
			.param("id", claimed.id())
			.param("version", claimed.version())
			.update() == 1;
	}

	/**
	 * The latest deliveries of a subscription.
	 * @param subscriptionId the subscription
	 * @param limit the most returned
	 * @return the deliveries, newest first
	 */
	public List<Delivery> recent(String subscriptionId, int limit) {
		return this.jdbc.sql("""
				select id, event_id, event_type, batch_id, status, attempts, last_http_status, last_error,
				       case when status = 'pending' then next_attempt_at end as next_attempt_at,
				       occurred_at, delivered_at
				from webhook_deliveries where subscription_id = :subscriptionId
				order by id desc limit :limit
				""")
			.param("subscriptionId", subscriptionId)
			.param("limit", limit)
			.query((rs, row) -> new Delivery(webhookId(rs.getLong("id")), rs.getString("event_id"),
					rs.getString("event_type"), rs.getString("batch_id"), rs.getString("status"), rs.getInt("attempts"),
					(Integer) rs.getObject("last_http_status"), rs.getString("last_error"),
					instant(rs.getTimestamp("next_attempt_at")), rs.getTimestamp("occurred_at").toInstant(),
					instant(rs.getTimestamp("delivered_at"))))
			.list();
	}

	/**
	 * Sends a delivery again, soon, with the same webhook-id; its retry period starts
	 * anew.
	 * @param subscriptionId the subscription
	 * @param deliveryId the delivery's webhook-id
	 * @param now the current time
	 * @return whether the delivery exists
	 */
	public boolean redeliver(String subscriptionId, String deliveryId, Instant now) {
		Long id = parseWebhookId(deliveryId);
		if (id == null) {
			return false;
		}
		return this.jdbc.sql("""
				update webhook_deliveries
				set status = 'pending', next_attempt_at = :now, first_attempt_at = null, delivered_at = null,
				    leased_by = null, leased_until = null, version = version + 1
				where id = :id and subscription_id = :subscriptionId
				""")
			.param("now", Timestamp.from(now))
			.param("id", id)
			.param("subscriptionId", subscriptionId)
			.update() == 1;
	}

	/**
	 * Deletes deliveries that were sent or given up longer ago than the retention.
	 * @param retention how long they are kept
	 * @return how many were deleted
	 */
	public int deleteFinishedBefore(Duration retention) {
		int deleted;
		int total = 0;
		do {
			deleted = this.jdbc.sql("""
					delete from webhook_deliveries where id in (
					    select id from webhook_deliveries
					    where status <> 'pending' and coalesce(last_attempt_at, created_at) < :cutoff
					    limit 1000)
					""").param("cutoff", Timestamp.from(Instant.now().minus(retention))).update();
			total += deleted;
		}
		while (deleted == 1000);
		return total;
	}

	/**
	 * The webhook-id of a delivery: stable over its retries and redeliveries.
	 * @param id the row id
	 * @return the id
	 */
	public static String webhookId(long id) {
		return "msg_" + id;
	}

	private static @Nullable Long parseWebhookId(String webhookId) {
		if (!webhookId.matches("msg_[0-9]{1,18}")) {
			return null;
		}
		return Long.parseLong(webhookId.substring(4));
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * A delivery leased to a sender.
	 *
	 * @param id the row id
	 * @param subscriptionId the subscription
	 * @param url its URL
	 * @param secret its encrypted secret; {@code null} for a callbackUrl subscription
	 * @param payload the event's JSON
	 * @param occurredAt when the event happened
	 * @param attempts attempts so far, this one included
	 * @param firstAttemptAt when the first attempt was made
	 * @param version the row version this claim owns
	 */
	public record Claimed(long id, String subscriptionId, String url, byte @Nullable [] secret, String payload,
			Instant occurredAt, int attempts, Instant firstAttemptAt, long version) {

		/**
		 * The webhook-id header of this delivery.
		 * @return the id
		 */
		public String webhookId() {
			return WebhookDeliveries.webhookId(this.id);
		}

	}

	/**
	 * A delivery as clients see it.
	 *
	 * @param id the webhook-id
	 * @param eventId the event's id
	 * @param eventType the event's type
	 * @param batchId the event's batch
	 * @param status {@code pending}, {@code delivered} or {@code failed}
	 * @param attempts attempts made
	 * @param lastHttpStatus the receiver's last answer, if any
	 * @param lastError why the last attempt failed
	 * @param nextAttemptAt when it is tried next (pending only)
	 * @param occurredAt when the event happened
	 * @param deliveredAt when the receiver accepted it
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Delivery(String id, String eventId, String eventType, String batchId, String status, int attempts,
			@Nullable Integer lastHttpStatus, @Nullable String lastError, @Nullable Instant nextAttemptAt,
			Instant occurredAt, @Nullable Instant deliveredAt) {

	}

}
