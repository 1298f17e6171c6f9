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
 * An id a client sends, in a path, a query or a body: checked with the rule the worker
 * applies too ({@link BatchRequestRules#idProblem}), so that it is kept byte for byte or
 * refused, never altered. {@code null} is valid; add {@code @NotBlank} where a value is
 * required.
 */
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.ANNOTATION_TYPE, ElementType.CONSTRUCTOR,
		ElementType.PARAMETER, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Constraint(validatedBy = ValidId.Validator.class)
public @interface ValidId {

	/**
	 * The longest accepted id, in UTF-16 code units.
	 * @return the length
	 */
	int max() default BatchRequestRules.MAX_ID_LENGTH;

	/**
	 * Whether a blank value means "none" and is accepted as it is.
	 * @return whether blank is accepted
	 */
	boolean blankAllowed() default false;

	/**
	 * Unused: each violation carries the rule it broke.
	 * @return the message
	 */
	String message() default "must be a valid id";

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
	class Validator implements ConstraintValidator<ValidId, String> {

		private int max = BatchRequestRules.MAX_ID_LENGTH;

		private boolean blankAllowed;

		@Override
		public void initialize(ValidId annotation) {
			this.max = annotation.max();
			this.blankAllowed = annotation.blankAllowed();
		}

		@Override
		public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
			if (value == null || (this.blankAllowed && value.isBlank())) {
				return true;
			}
			return Violations.report(BatchRequestRules.idProblem(value, this.max), context);
		}

	}

}
