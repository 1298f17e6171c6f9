package io.veoupscale.gateway.batch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * The position of a batch in the list of batches, newest first, as an opaque cursor: a
 * page after a cursor never changes as batches are added, since newer ones sort before
 * it.
 *
 * @param listedAt when the batch was accepted (or received)
 * @param batchId the batch id, breaking ties
 */
record BatchCursor(Instant listedAt, String batchId) {

	/**
	 * The cursor's text.
	 */
	String encode() {
		long micros = ChronoUnit.MICROS.between(Instant.EPOCH, this.listedAt);
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString((micros + ":" + this.batchId).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Reads a cursor this API gave.
	 * @return the cursor, or null if the text is not one
	 */
	static @Nullable BatchCursor decode(String text) {
		try {
			String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
			int colon = decoded.indexOf(':');
			if (colon < 1 || colon == decoded.length() - 1) {
				return null;
			}
			long micros = Long.parseLong(decoded.substring(0, colon));
			return new BatchCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), decoded.substring(colon + 1));
		}
		catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException ex) {
			return null;
		}
	}

}
