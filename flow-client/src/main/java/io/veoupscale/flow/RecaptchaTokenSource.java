package io.veoupscale.flow;

import java.util.Optional;

/**
 * Where start calls get their reCAPTCHA Enterprise token. Flow demands one since 2026 and
 * no server can mint it, so deployments plug in a provider; by default there is none and
 * starts go without a token (the simulator accepts that).
 */
@FunctionalInterface
public interface RecaptchaTokenSource {

	/**
	 * A token for the given action.
	 * @param action the reCAPTCHA action, e.g. {@code VIDEO_GENERATION}
	 * @return a fresh token, or empty when this source has none
	 */
	Optional<String> token(String action);

	/**
	 * The source that never has a token.
	 * @return the source
	 */
	static RecaptchaTokenSource none() {
		return (action) -> Optional.empty();
	}

}
