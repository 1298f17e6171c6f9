package io.veoupscale.gateway.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.veoupscale.events.BatchRequestRules;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.jspecify.annotations.Nullable;

/**
 * Free text a client sends that is stored and shown back (a name, a cookie): refused when
 * it could not be stored as sent ({@link BatchRequestRules#textProblem}). {@code null} is
 * valid.
 */
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.ANNOTATION_TYPE, ElementType.CONSTRUCTOR,
		ElementType.PARAMETER, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Constraint(validatedBy = ValidText.Validator.class)
public @interface ValidText {

	/**
	 * Unused: each violation carries the rule it broke.
	 * @return the message
	 */
	String message() default "must be valid text";

	/**
	 * The validation groups.
	 * @return the groups
	 */
	Class<?>[] groups() default {};

	/**
	 * The payload.
	 * @return the payload
	 */
	Class<? extends Payload>[] payload() default {};

	/**
	 * Applies the shared rule and reports the rule that was broken.
	 */
	class Validator implements ConstraintValidator<ValidText, String> {

		@Override
		public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
			return Violations.report(BatchRequestRules.textProblem(value), context);
		}

	}

}
