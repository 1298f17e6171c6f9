package io.veoupscale.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The rules a batch request must meet, shared by the gateway (which answers 400) and the
 * worker (which dead-letters a record that breaks them), and the one rule for every id a
 * client sends: an id is accepted only if it comes back byte for byte from every hop
 * (JSON, Kafka, PostgreSQL {@code text}, a URL path, Flow's JSON, SSE), and refused
 * otherwise, never altered into another one. Each problem names the field and the rule.
 *
 * @param maxItems the largest number of items a batch may have
 * @param allowedModels the upsampler models a request may name
 */
public record BatchRequestRules(int maxItems, Set<String> allowedModels) {

	/** Longest accepted batch id. */
	public static final int MAX_BATCH_ID_LENGTH = 64;

	/** Longest accepted source generation id. */
	public static final int MAX_SOURCE_ID_LENGTH = 128;

	/** Longest accepted id of a profile, a generation or a project. */
	public static final int MAX_ID_LENGTH = 128;

	/** Largest accepted delay between starts. */
	public static final int MAX_DELAY_MS = 60_000;

	private static final String BLANK = "must not be blank";

	private static final String NUL = "must not contain NUL characters";

	private static final String NOT_ID_TEXT = "must be valid Unicode text without control characters, noncharacters "
			+ "or U+FFFD";

	private static final String NOT_TEXT = "must be valid Unicode text (it holds an unpaired surrogate)";

	private static final String PATH_STEP = "must not be '.' or '..'";

	/**
	 * Checks the items and the delay of a batch.
	 * @param requests the items, possibly {@code null}
	 * @param delayMs the delay, {@code null} for the default
	 * @return the problems, empty when the batch is valid
	 */
	public List<String> problems(@Nullable List<@Nullable UpscaleRequest> requests, @Nullable Integer delayMs) {
		List<String> problems = new ArrayList<>();
		if (requests == null || requests.isEmpty()) {
			problems.add("requests must contain at least 1 item");
			return problems;
		}
		if (requests.size() > this.maxItems) {
			problems.add("requests must contain at most " + this.maxItems + " items (got " + requests.size() + ")");
			return problems;
		}
		if (delayMs != null && (delayMs < 0 || delayMs > MAX_DELAY_MS)) {
			problems.add("delayMs must be an integer from 0 to " + MAX_DELAY_MS);
		}
		for (int i = 0; i < requests.size(); i++) {
			UpscaleRequest request = requests.get(i);
			String field = "requests[" + i + "]";
			if (request == null) {
				problems.add(field + " must be an object with a sourceGenerationId");
				continue;
			}
			String sourceProblem = idProblem(request.sourceGenerationId(), MAX_SOURCE_ID_LENGTH);
			if (sourceProblem != null) {
				problems.add(field + ".sourceGenerationId " + sourceProblem);
			}
			if (!this.allowedModels.contains(request.modelOrDefault())) {
				problems.add(field + ".model must be one of "
						+ String.join(", ", this.allowedModels.stream().sorted().toList()) + " (got '"
						+ quote(request.model()) + "')");
			}
		}
		return problems;
	}

	/**
	 * Checks a whole command from the requests topic, including its batch id.
	 * @param command the command
	 * @return the problems, empty when the command is valid
	 */
	public List<String> problems(BatchRequested command) {
		List<String> problems = new ArrayList<>();
		String batchIdProblem = idProblem(command.batchId(), MAX_BATCH_ID_LENGTH);
		if (batchIdProblem != null) {
			problems.add("batchId " + batchIdProblem);
		}
		problems.addAll(problems(command.requests(), command.delayMs()));
		return problems;
	}

	/**
	 * The rule for every id a client sends: not blank, at most {@code maxLength} UTF-16
	 * code units, not {@code .} or {@code ..} (a path cannot hold them), and valid
	 * Unicode text without control characters (C0, DEL, C1), noncharacters or U+FFFD. NUL
	 * cannot be stored in PostgreSQL {@code text}, and an unpaired surrogate becomes
	 * {@code ?} wherever Java encodes the text as UTF-8 (Kafka's
	 * {@code StringSerializer}, the PostgreSQL driver): another id. U+FFFD is what a
	 * lenient decoder leaves of bytes that were not UTF-8, so it is refused too: an id
	 * never holds a character that could stand for one that was lost. Combining marks,
	 * bidi and zero-width characters, emoji, private-use and unassigned code points come
	 * back unchanged from every hop and are accepted.
	 * @param id the id, possibly {@code null}
	 * @param maxLength the longest accepted id
	 * @return the broken rule, worded to follow the field's name (such as
	 * {@code "must not be blank"}), or {@code null} when the id is accepted
	 */
	public static @Nullable String idProblem(@Nullable String id, int maxLength) {
		if (id == null || id.isBlank()) {
			return BLANK;
		}
		if (id.length() > maxLength) {
			return "must be at most " + maxLength + " characters";
		}
		if (id.equals(".") || id.equals("..")) {
			return PATH_STEP;
		}
		boolean other = false;
		for (int i = 0; i < id.length();) {
			int codePoint = id.codePointAt(i);
			if (codePoint == 0) {
				return NUL;
			}
			other |= isRefusedInId(codePoint);
			i += Character.charCount(codePoint);
		}
		return other ? NOT_ID_TEXT : null;
	}

	/**
	 * The rule for free text a client sends that is stored and shown back (a display
	 * name, a cookie): it must survive being stored, so no NUL and no unpaired surrogate.
	 * @param text the text, possibly {@code null}
	 * @return the broken rule, worded to follow the field's name, or {@code null} when
	 * the text is accepted
	 */
	public static @Nullable String textProblem(@Nullable String text) {
		if (text == null) {
			return null;
		}
		boolean unpaired = false;
		for (int i = 0; i < text.length();) {
			int codePoint = text.codePointAt(i);
			if (codePoint == 0) {
				return NUL;
			}
			unpaired |= isUnpairedSurrogate(codePoint);
			i += Character.charCount(codePoint);
		}
		return unpaired ? NOT_TEXT : null;
	}

	/**
	 * A value a client sent as an error message or a log line may quote it: at most 64
	 * characters, and every character the id rule refuses, and the line and paragraph
	 * separators, written as {@code \\uXXXX}, so that the message itself survives every
	 * hop and a log line cannot be forged with it.
	 * @param value the value, possibly {@code null}
	 * @return the value to quote
	 */
	public static String quote(@Nullable String value) {
		return quote(value, 64);
	}

	/**
	 * A value as {@link #quote(String)} gives it, cut at another length.
	 * @param value the value, possibly {@code null}
	 * @param maxLength how many characters to keep
	 * @return the value to quote
	 */
	public static String quote(@Nullable String value, int maxLength) {
		if (value == null) {
			return "null";
		}
		String cut = (value.length() > maxLength) ? value.substring(0, maxLength) + "..." : value;
		StringBuilder shown = new StringBuilder();
		for (int i = 0; i < cut.length();) {
			int codePoint = cut.codePointAt(i);
			if (isRefusedInId(codePoint) || codePoint == 0x2028 || codePoint == 0x2029) {
				for (char unit : Character.toChars(codePoint)) {
					shown.append(String.format("\\u%04x", (int) unit));
				}
			}
			else {
				shown.appendCodePoint(codePoint);
			}
			i += Character.charCount(codePoint);
		}
		return shown.toString();
	}

	private static boolean isRefusedInId(int codePoint) {
		return isUnpairedSurrogate(codePoint) || Character.getType(codePoint) == Character.CONTROL
				|| isNoncharacter(codePoint) || codePoint == 0xFFFD;
	}

	/**
	 * Whether a code point read with {@link String#codePointAt} is a surrogate, which it
	 * only returns for one without its other half.
	 */
	private static boolean isUnpairedSurrogate(int codePoint) {
		return codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
	}

	private static boolean isNoncharacter(int codePoint) {
		return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
	}

}
