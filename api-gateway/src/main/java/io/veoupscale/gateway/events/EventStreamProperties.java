package io.veoupscale.gateway.events;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Live events and the SSE streams.
 *
 * @param heartbeatInterval how often an idle stream gets a comment, so that proxies keep
 * it open
 * @param streamTimeout how long one SSE response stays open; the client then reconnects
 * with {@code Last-Event-ID} and misses nothing
 * @param reconnectDelay the {@code retry:} a stream tells clients to wait before they
 * reconnect
 * @param maxQueuedPerClient events waiting for one slow client before its stream is
 * closed (it reconnects and replays from the event log)
 * @param replayPageSize event-log rows read per query when a stream replays
 * @param writerThreads threads that write to all streams of this instance
 * @param pollTimeout how long the events consumer waits for records in one poll
 * @param partitionRefreshInterval how often the events consumer looks for new partitions
 * of the events topic
 * @param retention how long the event log keeps events for replay
 * @param retentionCheckInterval how often events older than {@code retention} are deleted
 */
@Validated
@ConfigurationProperties("upscale.gateway.events")
public record EventStreamProperties(@DefaultValue("15s") Duration heartbeatInterval,
		@DefaultValue("30m") Duration streamTimeout, @DefaultValue("2s") Duration reconnectDelay,
		@DefaultValue("1000") @Min(1) int maxQueuedPerClient,
		@DefaultValue("500") @Min(1) @Max(10_000) int replayPageSize,
		@DefaultValue("4") @Min(1) @Max(64) int writerThreads, @DefaultValue("500ms") Duration pollTimeout,
		@DefaultValue("30s") Duration partitionRefreshInterval, @DefaultValue("48h") Duration retention,
		@DefaultValue("1h") Duration retentionCheckInterval) {

}
