package io.veoupscale.gateway.idempotency;

/**
 * What a request carrying an Idempotency-Key may do.
 */
public sealed interface IdempotencyClaim {

	/**
	 * The request runs, creating (or, after a failed or abandoned attempt, re-creating)
	 * the resource with this id.
	 *
	 * @param resourceId the id of the resource the key stands for
	 */
	record Proceed(String resourceId) implements IdempotencyClaim {
	}

	/**
	 * The key was answered before: send this answer again and start nothing.
	 *
	 * @param status the first answer's HTTP status
	 * @param body the first answer's JSON body
	 */
	record Replay(int status, String body) implements IdempotencyClaim {
	}

	/**
	 * A request with this key is still running.
	 */
	record InProgress() implements IdempotencyClaim {
	}

	/**
	 * The key was used with another request (another body or endpoint).
	 */
	record Mismatch() implements IdempotencyClaim {
	}

}
