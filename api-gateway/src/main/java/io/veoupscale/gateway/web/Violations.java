package io.veoupscale.gateway.web;

import jakarta.validation.ConstraintValidatorContext;
import org.jspecify.annotations.Nullable;

/**
 * Reports a broken rule of {@link io.veoupscale.events.BatchRequestRules} as the
 * violation's message, so that the error names the field and the rule.
 */
final class Violations {

	private Violations() {
	}

	/**
	 * Reports a problem, if there is one.
	 * @param problem the broken rule, or {@code null}
	 * @param context the validator's context
	 * @return whether the value is valid
	 */
	static boolean report(@Nullable String problem, ConstraintValidatorContext context) {
		if (problem == null) {
			return true;
		}
		context.disableDefaultConstraintViolation();
		context.buildConstraintViolationWithTemplate(escape(problem)).addConstraintViolation();
		return false;
	}

	/**
	 * Escapes what a message template would interpret, so the message reads as written.
	 */
	private static String escape(String message) {
		return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
	}

}
