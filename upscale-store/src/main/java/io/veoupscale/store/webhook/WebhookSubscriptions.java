package io.veoupscale.store.webhook;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.veoupscale.events.BatchCompleted;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.ItemProgressed;
import io.veoupscale.events.UpscaleFinished;
import io.veoupscale.store.profile.CookieCipher;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Registers, finds and removes webhook subscriptions. A new subscription gets a Standard
 * Webhooks secret ({@code whsec_} and a base64 key), returned once and stored encrypted.
 */
@Component
public class WebhookSubscriptions {

	/** The event types a subscription may name: every event of the events topic. */
	public static final Set<String> EVENT_TYPES = Set.of(BatchStarted.TYPE, ItemProgressed.TYPE, BatchCompleted.TYPE,
			UpscaleFinished.TYPE);

	/** The prefix of a Standard Webhooks secret. */
	public static final String SECRET_PREFIX = "whsec_";

	private static final int SECRET_BYTES = 32;

	private static final String COLUMNS = """
			id, url, events, batch_id, description, origin, status, disabled_reason, created_at""";

	private final JdbcClient jdbc;

	private final CookieCipher cipher;

	private final WebhookProperties properties;

	private final SecureRandom random = new SecureRandom();

	WebhookSubscriptions(JdbcClient jdbc, CookieCipher cipher, WebhookProperties properties) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.properties = properties;
	}

	/**
	 * Registers a subscription with a new secret.
	 * @param url the checked target
	 * @param events known event types
	 * @param batchId the only batch it receives, if any
	 * @param description the client's note
	 * @return the subscription and its secret, which is never shown again
	 */
	public Created create(String url, List<String> events, @Nullable String batchId, @Nullable String description) {
		String id = "wh_" + HexFormat.of().formatHex(randomBytes(12));
		String secret = SECRET_PREFIX + Base64.getEncoder().encodeToString(randomBytes(SECRET_BYTES));
		this.jdbc.sql("""
				insert into webhook_subscriptions (id, url, events, batch_id, description, secret, origin)
				values (:id, :url, :events, :batchId, :description, :secret, 'api')
				""")
			.param("id", id)
			.param("url", url)
			.param("events", events.toArray(String[]::new))
			.param("batchId", batchId)
			.param("description", description)
			.param("secret", this.cipher.encrypt(aad(id), secret))
			.update();
		return new Created(find(id).orElseThrow(), secret);
	}

	/**
	 * Subscribes a batch's events to its callbackUrl with the deployment's default event
	 * set, once per batch and URL, in the caller's transaction if there is one.
	 * @param batchId the batch
	 * @param url the callback URL
	 */
	public void subscribeCallback(String batchId, String url) {
		String id = "wh_" + HexFormat.of().formatHex(randomBytes(12));
		this.jdbc.sql("""
				insert into webhook_subscriptions (id, url, events, batch_id, description, origin)
				values (:id, :url, :events, :batchId, :description, 'callback')
				on conflict (batch_id, url) where origin = 'callback' do nothing
				""")
			.param("id", id)
			.param("url", url)
			.param("events", this.properties.defaultEvents().toArray(String[]::new))
			.param("batchId", batchId)
			.param("description", "callbackUrl of batch " + batchId)
			.update();
	}

	/**
	 * A subscription.
	 * @param id its id
	 * @return the subscription, if it exists
	 */
	public Optional<Subscription> find(String id) {
		return this.jdbc.sql("select " + COLUMNS + " from webhook_subscriptions where id = :id")
			.param("id", id)
			.query(WebhookSubscriptions::subscription)
			.optional();
	}

	/**
	 * Every subscription, newest first.
	 * @param limit the most returned
	 * @return the subscriptions
	 */
	public List<Subscription> list(int limit) {
		return this.jdbc
			.sql("select " + COLUMNS + " from webhook_subscriptions order by created_at desc, id limit :limit")
			.param("limit", limit)
			.query(WebhookSubscriptions::subscription)
			.list();
	}

	/**
	 * Removes a subscription and its deliveries.
	 * @param id the subscription
	 * @return whether it existed
	 */
	public boolean delete(String id) {
		return this.jdbc.sql("delete from webhook_subscriptions where id = :id").param("id", id).update() == 1;
	}

	/**
	 * Stops deliveries to a subscription: it is disabled, and what it had pending is
	 * marked failed.
	 * @param id the subscription
	 * @param reason why
	 */
	public void disable(String id, String reason) {
		this.jdbc.sql("""
				with disabled as (
				    update webhook_subscriptions set status = 'disabled', disabled_reason = :reason
				    where id = :id returning id)
				update webhook_deliveries set status = 'failed', last_error = :reason, leased_by = null,
				    leased_until = null, version = version + 1
				where subscription_id in (select id from disabled) and status = 'pending'
				""").param("id", id).param("reason", reason).update();
	}

	/**
	 * The signing secret of a subscription.
	 * @param id the subscription
	 * @param ciphertext its stored secret; {@code null} for a callbackUrl subscription
	 * @return the secret: its own, or the deployment's callback secret (if configured)
	 */
	public Optional<String> secret(String id, byte @Nullable [] ciphertext) {
		if (ciphertext == null) {
			return Optional.ofNullable(this.properties.callbackSecret());
		}
		return Optional.of(this.cipher.decrypt(aad(id), ciphertext));
	}

	private static String aad(String id) {
		return "webhook-secret:" + id;
	}

	private byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		this.random.nextBytes(bytes);
		return bytes;
	}

	static Subscription subscription(ResultSet rs, int row) throws SQLException {
		Array events = rs.getArray("events");
		return new Subscription(rs.getString("id"), rs.getString("url"), Arrays.asList((String[]) events.getArray()),
				rs.getString("batch_id"), rs.getString("description"), rs.getString("origin"), rs.getString("status"),
				rs.getString("disabled_reason"), rs.getTimestamp("created_at").toInstant());
	}

	/**
	 * A subscription just registered, with the secret shown only now.
	 *
	 * @param subscription the subscription
	 * @param secret its secret
	 */
	public record Created(Subscription subscription, String secret) {
	}

}
