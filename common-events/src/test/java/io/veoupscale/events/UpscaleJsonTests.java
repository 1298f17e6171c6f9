package io.veoupscale.events;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Round trips of every message against literal JSON in the shape of the seed document.
 */
class UpscaleJsonTests {

	private static final Instant AT = Instant.parse("2026-11-25T10:15:30Z");

	@Test
	void readsBatchRequestOfTheSeed() {
		String json = """
				{"batchId":"abc123def456",
				 "requests":[{"sourceGenerationId":"id1","model":"veo_2_1080p_upsampler_8s"},{"sourceGenerationId":"id2"}],
				 "delayMs":1500,"requestedAt":"2026-11-25T10:15:30Z"}""";

		BatchRequested command = UpscaleJson.read(json, BatchRequested.class);

		assertThat(command).isEqualTo(new BatchRequested("abc123def456",
				List.of(new UpscaleRequest("id1", "veo_2_1080p_upsampler_8s"), new UpscaleRequest("id2", null)), 1500,
				AT));
		assertThat(command.requests().get(1).modelOrDefault()).isEqualTo("veo_2_1080p_upsampler_8s");
		assertSameJson(UpscaleJson.write(command), json);
	}

	@Test
	void writesTheTraceIdOfAnEventAndReadsItBackAsTolerated() {
		BatchEvent event = new BatchStarted("b1", 1, List.of("gen1"), "e1", AT);
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

		String json = UpscaleJson.writeEvent(event, traceId);

		assertSameJson(json, """
				{"type":"veo3:batch:upscale:started","batchId":"b1","total":1,"sourceGenerationIds":["gen1"],
				 "eventId":"e1","occurredAt":"2026-11-25T10:15:30Z","traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}""");
		assertThat(UpscaleJson.read(json, BatchEvent.class)).isEqualTo(event);
		assertThat(UpscaleJson.writeEvent(event, null)).isEqualTo(UpscaleJson.write(event));
	}

	@Test
	void defaultsDelayWhenTheProducerOmitsIt() {
		BatchRequested command = UpscaleJson.read("""
				{"batchId":"b1","requests":[{"sourceGenerationId":"g1"}],"extra":"tolerated"}""", BatchRequested.class);

		assertThat(command.delayMs()).isNull();
		assertThat(command.delayMsOrDefault()).isEqualTo(1500);
	}

	@Test
	void roundTripsStarted() {
		String json = """
				{"type":"veo3:batch:upscale:started","batchId":"abc123def456","total":2,
				 "sourceGenerationIds":["gen1","gen2"],"eventId":"e1","occurredAt":"2026-11-25T10:15:30Z"}""";

		BatchEvent event = UpscaleJson.read(json, BatchEvent.class);

		assertThat(event).isEqualTo(new BatchStarted("abc123def456", 2, List.of("gen1", "gen2"), "e1", AT));
		assertSameJson(UpscaleJson.write(event), json);
	}

	@Test
	void roundTripsSuccessfulProgress() {
		String json = """
				{"type":"veo3:batch:upscale:progress","batchId":"b1","sourceGenerationId":"gen1","success":true,
				 "upscaleId":"upscale1","sceneId":"scene1","operationName":"op1","index":1,"total":2,
				 "eventId":"e2","occurredAt":"2026-11-25T10:15:30Z"}""";

		BatchEvent event = UpscaleJson.read(json, BatchEvent.class);

		assertThat(event)
			.isEqualTo(ItemProgressed.succeeded("b1", 1, 2, "gen1", "upscale1", "scene1", "op1", "e2", AT));
		assertSameJson(UpscaleJson.write(event), json);
	}

	@Test
	void roundTripsFailedProgressWithoutUpscaleFields() {
		String json = """
				{"type":"veo3:batch:upscale:progress","batchId":"b1","sourceGenerationId":"gen2","success":false,
				 "error":"Profile has no active 'flow' cookies","index":2,"total":2,
				 "eventId":"e3","occurredAt":"2026-11-25T10:15:30Z"}""";

		BatchEvent event = UpscaleJson.read(json, BatchEvent.class);

		assertThat(event)
			.isEqualTo(ItemProgressed.failed("b1", 2, 2, "gen2", "Profile has no active 'flow' cookies", "e3", AT));
		String written = UpscaleJson.write(event);
		assertSameJson(written, json);
		assertThat(UpscaleJson.mapper().readTree(written).has("upscaleId")).isFalse();
	}

	@Test
	void roundTripsCompleted() {
		String json = """
				{"type":"veo3:batch:upscale:completed","batchId":"abc123def456","successCount":2,"failureCount":0,
				 "total":2,"eventId":"e4","occurredAt":"2026-11-25T10:15:30Z"}""";

		BatchEvent event = UpscaleJson.read(json, BatchEvent.class);

		assertThat(event).isEqualTo(new BatchCompleted("abc123def456", 2, 0, 2, "e4", AT));
		assertSameJson(UpscaleJson.write(event), json);
	}

	@Test
	void roundTripsUpscaleStatus() {
		String json = """
				{"type":"veo3:upscale:status","batchId":"b1","upscaleId":"upscale1","sourceGenerationId":"gen1",
				 "status":"completed","videoUrl":"https://example.test/v.mp4","eventId":"e5",
				 "occurredAt":"2026-11-25T10:15:30Z"}""";

		BatchEvent event = UpscaleJson.read(json, BatchEvent.class);

		assertThat(event).isEqualTo(new UpscaleFinished("b1", "upscale1", "gen1", "completed",
				"https://example.test/v.mp4", null, "e5", AT));
		assertSameJson(UpscaleJson.write(event), json);
	}

	@Test
	void roundTripsUpscaleInitiated() {
		String json = """
				{"type":"veo3:upscale:initiated","upscaleId":"upscale1","batchId":"b1","index":1,
				 "sourceGenerationId":"gen1","profileId":"prof1","sceneId":"scene1","operationName":"op1",
				 "flowProjectId":"fp1","model":"veo_3_1_upsampler_1080p","initiatedAt":"2026-11-25T10:15:30Z"}""";

		UpscaleInitiated record = UpscaleJson.read(json, UpscaleInitiated.class);

		assertThat(record).isEqualTo(new UpscaleInitiated("upscale1", "b1", 1, "gen1", "prof1", "scene1", "op1", "fp1",
				"veo_3_1_upsampler_1080p", AT));
		assertSameJson(UpscaleJson.write(record), json);
	}

	@Test
	void rejectsUnknownEventType() {
		assertThatExceptionOfType(tools.jackson.core.JacksonException.class)
			.isThrownBy(() -> UpscaleJson.read("{\"type\":\"com.example.Evil\",\"batchId\":\"b1\"}", BatchEvent.class));
	}

	@Test
	void exposesTheWireTypeOfEachEvent() {
		assertThat(new BatchStarted("b", 1, List.of("g"), "e", AT).type()).isEqualTo("veo3:batch:upscale:started");
		assertThat(new BatchCompleted("b", 1, 0, 1, "e", AT).type()).isEqualTo("veo3:batch:upscale:completed");
		assertThat(ItemProgressed.failed("b", 1, 1, "g", "x", "e", AT).type()).isEqualTo("veo3:batch:upscale:progress");
		assertThat(new UpscaleFinished("b", "u", "g", "failed", null, "x", "e", AT).type())
			.isEqualTo("veo3:upscale:status");
	}

	private static void assertSameJson(String actual, String expected) {
		JsonNode actualTree = UpscaleJson.mapper().readTree(actual);
		JsonNode expectedTree = UpscaleJson.mapper().readTree(expected);
		assertThat(actualTree).isEqualTo(expectedTree);
	}

}
