package io.veoupscale.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The command on the batch-requests topic: upscale these videos, spacing the upstream
 * starts by {@code delayMs}. Any service may produce it; the worker validates every field
 * itself.
 *
 * @param batchId the batch id, also the record key
 * @param requests the items, in order
 * @param delayMs least time between two upstream starts of this batch; {@code null} for
 * {@link #DEFAULT_DELAY_MS}
 * @param requestedAt when the batch was requested
 * @param callbackUrl an http(s) URL that receives this batch's events as webhooks (the
 * deployment's default event set, signed with its callback secret); {@code null} for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchRequested(String batchId, List<UpscaleRequest> requests, @Nullable Integer delayMs,
		@Nullable Instant requestedAt, @Nullable String callbackUrl) {

	/**
	 * A command without a callbackUrl.
	 * @param batchId the batch id
	 * @param requests the items
	 * @param delayMs the delay, or {@code null}
	 * @param requestedAt when it was requested
	 */
	public BatchRequested(String batchId, List<UpscaleRequest> requests, @Nullable Integer delayMs,
			@Nullable Instant requestedAt) {
		this(batchId, requests, delayMs, requestedAt, null);
	}

	/** The delay between starts when a request names none (the seed's default). */
	public static final int DEFAULT_DELAY_MS = 1500;

	/**
	 * The delay to apply.
	 * @return {@code delayMs}, or {@link #DEFAULT_DELAY_MS}
	 */
	public int delayMsOrDefault() {
		return (this.delayMs != null) ? this.delayMs : DEFAULT_DELAY_MS;
	}

}
