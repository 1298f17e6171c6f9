package io.veoupscale.events;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the examples of {@code docs/asyncapi.yaml} readable as the records they document.
 */
class AsyncApiDocumentTests {

	private static final Path DOCUMENT = Path.of("..", "docs", "asyncapi.yaml");

	private static final Map<String, Class<?>> RECORD_OF_MESSAGE = Map.of("batchRequested", BatchRequested.class,
			"started", BatchStarted.class, "progress", ItemProgressed.class, "completed", BatchCompleted.class,
			"status", UpscaleFinished.class, "upscaleInitiated", UpscaleInitiated.class, "paused", BatchPaused.class,
			"resumed", BatchResumed.class, "batchCommand", BatchCommand.class);

	private final JsonNode document = new YAMLMapper().readTree(DOCUMENT.toFile());

	@Test
	void documentsTheDefaultTopicNames() {
		JsonNode channels = this.document.get("channels");
		assertThat(channels.get("batchRequests").get("address").asString()).isEqualTo(Topics.BATCH_REQUESTS);
		assertThat(channels.get("batchEvents").get("address").asString()).isEqualTo(Topics.BATCH_EVENTS);
		assertThat(channels.get("operations").get("address").asString()).isEqualTo(Topics.OPERATIONS);
		assertThat(channels.get("batchCommands").get("address").asString()).isEqualTo(Topics.BATCH_COMMANDS);
	}

	@Test
	void everyMessageExampleReadsAsItsRecordAndWritesBackTheSame() {
		JsonNode messages = this.document.get("components").get("messages");
		List<String> names = new ArrayList<>();
		messages.propertyNames().forEach(names::add);
		assertThat(names).containsExactlyInAnyOrderElementsOf(RECORD_OF_MESSAGE.keySet());
		List<String> checked = new ArrayList<>();
		for (Map.Entry<String, Class<?>> entry : RECORD_OF_MESSAGE.entrySet()) {
			for (JsonNode example : messages.get(entry.getKey()).get("examples")) {
				JsonNode payload = example.get("payload");
				Object record = UpscaleJson.mapper().treeToValue(payload, entry.getValue());
				JsonNode written = UpscaleJson.mapper().valueToTree(record);
				assertThat(written).as(entry.getKey()).isEqualTo(payload);
				checked.add(entry.getKey());
			}
		}
		assertThat(checked).hasSizeGreaterThanOrEqualTo(RECORD_OF_MESSAGE.size());
	}

	@Test
	void eventExamplesCarryTheTypeOfTheirMessageName() {
		JsonNode messages = this.document.get("components").get("messages");
		for (String name : List.of("started", "progress", "completed", "status", "upscaleInitiated", "paused",
				"resumed")) {
			JsonNode message = messages.get(name);
			for (JsonNode example : message.get("examples")) {
				assertThat(example.get("payload").get("type").asString()).isEqualTo(message.get("name").asString());
			}
		}
	}

}
