package io.veoupscale.store.webhook;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A webhook subscription as clients see it: never its secret.
 *
 * @param id the subscription id
 * @param url where deliveries are posted
 * @param events the event types it receives
 * @param batchId the only batch whose events it receives; {@code null} for every batch
 * @param description the client's note
 * @param origin {@code api} (registered) or {@code callback} (a batch's callbackUrl)
 * @param status {@code active}, or {@code disabled} (the receiver answered 410 Gone)
 * @param disabledReason why it was disabled
 * @param createdAt when it was registered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subscription(String id, String url, List<String> events, @Nullable String batchId,
		@Nullable String description, String origin, String status, @Nullable String disabledReason,
		Instant createdAt) {

}
