package io.veoupscale.gateway.web;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reading the fields of a request body read as a tree, collecting every problem instead
 * of stopping at the first, so that one 400 names them all.
 */
public final class JsonFields {

	private JsonFields() {
	}

	/**
	 * A text field.
	 * @param node the field's value, null when absent
	 * @param problem what to report when it is there but not a string
	 * @param problems where problems are collected
	 * @return the text, or null when absent, JSON null or not a string
	 */
	public static @Nullable String text(@Nullable JsonNode node, String problem, List<String> problems) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString()) {
			problems.add(problem);
			return null;
		}
		return node.stringValue();
	}

}
