package io.veoupscale.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapping of the messages: ISO-8601 instants, no nulls, unknown properties
 * tolerated (producers may add fields).
 */
public final class UpscaleJson {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private UpscaleJson() {
	}

	/**
	 * The shared mapper; immutable and thread-safe.
	 * @return the mapper
	 */
	public static JsonMapper mapper() {
		return MAPPER;
	}

	/**
	 * Writes a message as JSON.
	 * @param message the message
	 * @return its JSON text
	 */
	public static String write(Object message) {
		return MAPPER.writeValueAsString(message);
	}

	/**
	 * Writes a batch event as JSON with the trace id of its batch's trace.
	 * @param event the event
	 * @param traceId the trace id (32 lowercase hex), or null to leave it out
	 * @return its JSON text
	 */
	public static String writeEvent(BatchEvent event, @Nullable String traceId) {
		return MAPPER.writer().withAttribute(BatchEvent.TRACE_ID, traceId).writeValueAsString(event);
	}

	/**
	 * Reads a message from JSON.
	 * @param <T> the message type
	 * @param json the JSON text
	 * @param type the message type
	 * @return the message
	 * @throws tools.jackson.core.JacksonException if the text is not such a message
	 */
	public static <T> T read(String json, Class<T> type) {
		return MAPPER.readValue(json, type);
	}

}
