package io.veoupscale.store;

import io.veoupscale.events.Topics;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Topic names and the shape of topics created when absent.
 *
 * @param batchRequests topic of batch requests ({@code UPSCALE_TOPICS_BATCH_REQUESTS})
 * @param batchEvents topic of batch and upscale events
 * ({@code UPSCALE_TOPICS_BATCH_EVENTS})
 * @param operations topic of initiated upscales ({@code UPSCALE_TOPICS_OPERATIONS})
 * @param batchCommands topic of commands on batches: cancel, pause, resume
 * ({@code UPSCALE_TOPICS_BATCH_COMMANDS})
 * @param partitions partitions of a topic this system creates
 * @param replicas replication factor of a topic this system creates
 */
@Validated
@ConfigurationProperties("upscale.topics")
public record TopicProperties(@DefaultValue(Topics.BATCH_REQUESTS) @NotBlank String batchRequests,
		@DefaultValue(Topics.BATCH_EVENTS) @NotBlank String batchEvents,
		@DefaultValue(Topics.OPERATIONS) @NotBlank String operations,
		@DefaultValue(Topics.BATCH_COMMANDS) @NotBlank String batchCommands, @DefaultValue("6") @Min(1) int partitions,
		@DefaultValue("1") @Min(1) short replicas) {

}
