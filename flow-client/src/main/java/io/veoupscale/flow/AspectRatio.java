package io.veoupscale.flow;

import java.util.Locale;
import java.util.Optional;

/**
 * The shape of a video. Flow requires the start of an upscale to name the source video's
 * own aspect ratio: a portrait video sent as landscape is refused or comes back wrong.
 */
public enum AspectRatio {

	/** 16:9, the default. */
	LANDSCAPE,

	/** 9:16, as YouTube Shorts. */
	PORTRAIT,

	/** 1:1. */
	SQUARE;

	private static final String PREFIX = "VIDEO_ASPECT_RATIO_";

	/**
	 * The name this system uses in its API and database.
	 * @return e.g. {@code portrait}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The name Flow uses.
	 * @return e.g. {@code VIDEO_ASPECT_RATIO_PORTRAIT}
	 */
	public String wireName() {
		return PREFIX + name();
	}

	/**
	 * Reads this system's name of an aspect ratio.
	 * @param value {@code landscape}, {@code portrait} or {@code square}
	 * @return the aspect ratio, empty for any other value
	 */
	public static Optional<AspectRatio> of(String value) {
		for (AspectRatio ratio : values()) {
			if (ratio.value().equals(value)) {
				return Optional.of(ratio);
			}
		}
		return Optional.empty();
	}

}
