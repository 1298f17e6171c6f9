package io.veoupscale.poller.operation;

import java.util.Map;

import io.veoupscale.poller.PollerProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Poller settings as the application binds them: the record's defaults, with the given
 * properties on top.
 */
final class PollerSettings {

	private PollerSettings() {
	}

	/**
	 * Binds {@code upscale.poller.*}.
	 * @param properties property names (e.g. {@code upscale.poller.check-interval}) and
	 * values
	 * @return the settings
	 */
	static PollerProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("upscale.poller",
				PollerProperties.class);
	}

}
