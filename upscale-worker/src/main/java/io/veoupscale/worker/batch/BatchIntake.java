package io.veoupscale.worker.batch;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.veoupscale.events.BatchRequestRules;
import io.veoupscale.events.BatchRequested;
import io.veoupscale.events.BatchStarted;
import io.veoupscale.events.UpscaleRequest;
import io.veoupscale.store.outbox.BatchEventPublisher;
import io.veoupscale.store.trace.TraceContexts;
import io.veoupscale.store.webhook.WebhookSubscriptions;
import io.veoupscale.worker.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores a batch request once, with the trace context it arrived in (its starts and
 * events join that trace): the batch, its items with their derived scene and upscale ids,
 * its callbackUrl subscription if it has one, and the {@code started} event, in one
 * transaction. A batchId seen again changes nothing. The batch is marked with the profile
 * of its first item's source video, if known yet, so that claims can cap the batches of
 * one profile leased at once.
 */
@Service
class BatchIntake {

	private static final Logger logger = LoggerFactory.getLogger(BatchIntake.class);

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final BatchEventPublisher events;

	private final BatchRequestRules rules;

	private final Clock clock;

	private final WebhookSubscriptions webhooks;

	private final ApplicationEventPublisher stored;

	private final TraceContexts traces;

	BatchIntake(JdbcClient jdbc, JdbcTemplate jdbcTemplate, BatchEventPublisher events, WorkerProperties properties,
			Clock clock, WebhookSubscriptions webhooks, ApplicationEventPublisher stored, TraceContexts traces) {
		this.webhooks = webhooks;
		this.stored = stored;
		this.traces = traces;
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.events = events;
		this.rules = new BatchRequestRules(properties.maxItemsPerBatch(), properties.allowedModels());
		this.clock = clock;
	}

	@Transactional
	void accept(BatchRequested command) {
		validate(command);
		Instant now = this.clock.instant();
		Instant requestedAt = (command.requestedAt() != null) ? command.requestedAt() : now;
		int inserted = this.jdbc.sql("""
				insert into batches (id, total, delay_ms, requested_at, received_at, profile_id, traceparent)
				values (:id, :total, :delayMs, :requestedAt, :now,
				        (select profile_id from generations where id = :firstSource), :traceparent)
				on conflict (id) do nothing
				""")
			.param("id", command.batchId())
			.param("firstSource", command.requests().get(0).sourceGenerationId())
			.param("total", command.requests().size())
			.param("delayMs", command.delayMsOrDefault())
			.param("requestedAt", Timestamp.from(requestedAt))
			.param("now", Timestamp.from(now))
			.param("traceparent", this.traces.current())
			.update();
		if (inserted == 0) {
			logger.info("batch {}: delivered again; it was taken already", command.batchId());
			return;
		}
		List<Object[]> items = new ArrayList<>();
		List<String> sourceIds = new ArrayList<>();
		for (int i = 0; i < command.requests().size(); i++) {
			UpscaleRequest request = command.requests().get(i);
			int index = i + 1;
			items.add(new Object[] { command.batchId(), index, request.sourceGenerationId(), request.modelOrDefault(),
					sceneId(command.batchId(), index), upscaleId(command.batchId(), index) });
			sourceIds.add(request.sourceGenerationId());
		}
		this.jdbcTemplate.batchUpdate("""
				insert into batch_items (batch_id, item_index, source_generation_id, model, scene_id, upscale_id)
				values (?, ?, ?, ?, ?, ?)
				""", items);
		subscribeCallback(command);
		this.events.publish(
				new BatchStarted(command.batchId(), sourceIds.size(), sourceIds, UUID.randomUUID().toString(), now));
		this.stored.publishEvent(new BatchStored(command.batchId()));
		logger.info("batch {}: accepted, {} items, {} ms between starts", command.batchId(), sourceIds.size(),
				command.delayMsOrDefault());
	}

	/**
	 * A batch was stored, published in the storing transaction: once it commits, the
	 * batch is free to be claimed.
	 *
	 * @param batchId the batch
	 */
	record BatchStored(String batchId) {
	}

	/**
	 * Subscribes the batch's callbackUrl (once; the gateway did already for batches it
	 * took), before its first event, so that every event of the batch reaches it. A URL
	 * that is not http(s) is left out; where it may connect is checked when it is sent.
	 */
	private void subscribeCallback(BatchRequested command) {
		String url = command.callbackUrl();
		if (url == null) {
			return;
		}
		if (!url.regionMatches(true, 0, "http://", 0, 7) && !url.regionMatches(true, 0, "https://", 0, 8)) {
			logger.warn("batch {}: callbackUrl ignored, it is not an http or https URL", command.batchId());
			return;
		}
		this.webhooks.subscribeCallback(command.batchId(), url);
	}

	static UUID sceneId(String batchId, int index) {
		return UUID.nameUUIDFromBytes(("scene:" + batchId + ":" + index).getBytes(StandardCharsets.UTF_8));
	}

	static String upscaleId(String batchId, int index) {
		return UUID.nameUUIDFromBytes(("upscale:" + batchId + ":" + index).getBytes(StandardCharsets.UTF_8)).toString();
	}

	private void validate(BatchRequested command) {
		List<String> problems = this.rules.problems(command);
		if (!problems.isEmpty()) {
			throw new InvalidBatchRequestException(String.join("; ", problems));
		}
	}

}
