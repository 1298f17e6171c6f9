package io.veoupscale.gateway.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The seed's envelope around every response body.
 *
 * @param <T> the data type
 * @param success whether the call succeeded
 * @param data the result, on success
 * @param error a clear message, on failure
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiResponse<T>(boolean success, @Nullable T data, @Nullable String error) {

	/**
	 * A successful response.
	 * @param <T> the data type
	 * @param data the result
	 * @return the envelope
	 */
	public static <T> ApiResponse<T> ok(T data) {
		return new ApiResponse<>(true, data, null);
	}

	/**
	 * A failed response.
	 * @param error the message
	 * @return the envelope
	 */
	public static ApiResponse<Void> error(String error) {
		return new ApiResponse<>(false, null, error);
	}

}
