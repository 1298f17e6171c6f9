package io.veoupscale.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Random strings as a hostile client would send them as ids, for property tests: mostly
 * short, some long, built from plain ASCII mixed with unpaired surrogates, surrogate
 * pairs (emoji), control characters (NUL, C0, DEL, C1), noncharacters, combining marks,
 * bidi controls, zero-width characters, line separators, U+FFFD, private-use and
 * unassigned code points, and the characters that mean something in a path or in JSON. A
 * run draws from one seed, random unless {@code -Dupscale.test.seed} repeats an earlier
 * run; tests print it with every failure.
 */
public final class HostileStrings {

	/** The system property that repeats a run. */
	public static final String SEED_PROPERTY = "upscale.test.seed";

	private static final String ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

	private static final String PATH_AND_JSON = "/\\.%;?#&=+ \"'<>{}[]:,~!$*()@`^|";

	private static final String[] WHOLE = { "", " ", ".", "..", "\t", "\u3000", "\u00a0" };

	private HostileStrings() {
	}

	/**
	 * The seed of this run.
	 * @return {@code -Dupscale.test.seed} if set, otherwise a random one
	 */
	public static long seed() {
		String fixed = System.getProperty(SEED_PROPERTY);
		return (fixed != null && !fixed.isBlank()) ? Long.parseLong(fixed.trim()) : new Random().nextLong();
	}

	/**
	 * Draws strings.
	 * @param seed the seed
	 * @param count how many
	 * @param maxLength the longest string, in UTF-16 code units (at least 2)
	 * @return the strings, the same for the same arguments
	 */
	public static List<String> sample(long seed, int count, int maxLength) {
		Random random = new Random(seed);
		List<String> strings = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			strings.add(next(random, maxLength));
		}
		return strings;
	}

	private static String next(Random random, int maxLength) {
		int shape = random.nextInt(100);
		if (shape < 2) {
			return WHOLE[random.nextInt(WHOLE.length)];
		}
		int length;
		if (shape < 75) {
			length = 1 + random.nextInt(12);
		}
		else if (shape < 90) {
			length = 13 + random.nextInt(116);
		}
		else {
			length = 129 + random.nextInt(Math.max(1, maxLength - 128));
		}
		length = Math.min(length, maxLength);
		StringBuilder text = new StringBuilder();
		while (text.length() < length) {
			String unit = unit(random);
			if (text.length() + unit.length() > maxLength) {
				unit = ASCII.substring(0, 1);
			}
			text.append(unit);
		}
		return text.toString();
	}

	private static String unit(Random random) {
		int pick = random.nextInt(100);
		if (pick < 40) {
			return String.valueOf(ASCII.charAt(random.nextInt(ASCII.length())));
		}
		if (pick < 45) {
			return String.valueOf(PATH_AND_JSON.charAt(random.nextInt(PATH_AND_JSON.length())));
		}
		if (pick < 52) {
			// Latin-1, Greek, Cyrillic, CJK: ordinary BMP letters
			return codePoint(pickOf(random, 0x00C0, 0x00FF, 0x0391, 0x03C9, 0x0410, 0x044F, 0x4E00, 0x9FFF));
		}
		if (pick < 60) {
			// emoji and other supplementary code points: surrogate pairs
			return codePoint(pickOf(random, 0x1F300, 0x1FAFF, 0x10000, 0x10FFFD));
		}
		if (pick < 65) {
			return String.valueOf((char) (0xD800 + random.nextInt(0x400)));
		}
		if (pick < 70) {
			return String.valueOf((char) (0xDC00 + random.nextInt(0x400)));
		}
		if (pick < 72) {
			// a pair in the wrong order: two unpaired surrogates
			return new String(
					new char[] { (char) (0xDC00 + random.nextInt(0x400)), (char) (0xD800 + random.nextInt(0x400)) });
		}
		if (pick < 76) {
			// C0 controls, NUL included
			return String.valueOf((char) random.nextInt(0x20));
		}
		if (pick < 78) {
			// DEL and C1
			return String.valueOf((char) (0x7F + random.nextInt(0x21)));
		}
		if (pick < 80) {
			return noncharacter(random);
		}
		if (pick < 84) {
			// combining marks, sometimes stacked
			return codePoint(pickOf(random, 0x0300, 0x036F, 0x20D0, 0x20FF))
					+ ((random.nextBoolean()) ? codePoint(0x0301) : "");
		}
		if (pick < 88) {
			// bidi controls and marks
			int[] bidi = { 0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
					0x2069 };
			return codePoint(bidi[random.nextInt(bidi.length)]);
		}
		if (pick < 91) {
			// zero width, joiner, byte order mark, soft hyphen, variation selector
			int[] invisible = { 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0xFE0F, 0xE0001 };
			return codePoint(invisible[random.nextInt(invisible.length)]);
		}
		if (pick < 93) {
			int[] separators = { 0x2028, 0x2029, 0x0085, 0x000B, 0x000C };
			return codePoint(separators[random.nextInt(separators.length)]);
		}
		if (pick < 95) {
			return codePoint(0xFFFD);
		}
		if (pick < 97) {
			// private use, in the BMP and in plane 15
			return codePoint(pickOf(random, 0xE000, 0xF8FF, 0xF0000, 0xFFFFD));
		}
		// unassigned today
		int[] unassigned = { 0x0378, 0x0379, 0x0530, 0x2FFF, 0x1FFFD, 0x3FFFD, 0xE0080 };
		return codePoint(unassigned[random.nextInt(unassigned.length)]);
	}

	private static String noncharacter(Random random) {
		if (random.nextBoolean()) {
			return codePoint(0xFDD0 + random.nextInt(32));
		}
		int plane = random.nextInt(17);
		return codePoint((plane << 16) | (0xFFFE + random.nextInt(2)));
	}

	private static int pickOf(Random random, int... ranges) {
		int range = random.nextInt(ranges.length / 2) * 2;
		return ranges[range] + random.nextInt(ranges[range + 1] - ranges[range] + 1);
	}

	private static String codePoint(int codePoint) {
		return new String(Character.toChars(codePoint));
	}

	/**
	 * The string as Java source would write it, for test names and messages: printable
	 * ASCII as is, everything else as {@code \\uXXXX} per UTF-16 code unit.
	 * @param text the string
	 * @return the escaped form
	 */
	public static String escape(String text) {
		return json(text);
	}

	/**
	 * A name for the string in a test report: its escaped form, cut after 120 characters.
	 * @param text the string
	 * @return the name
	 */
	public static String name(String text) {
		String escaped = escape(text);
		return (escaped.length() <= 120) ? escaped : escaped.substring(0, 120) + "... (" + text.length() + " chars)";
	}

	/**
	 * The string as a JSON string literal in plain ASCII, every other code unit escaped
	 * on its own, so that an unpaired surrogate reaches the server as sent (a client that
	 * encoded the text as UTF-8 would have replaced it before it left).
	 * @param text the string
	 * @return the JSON literal, quotes included
	 */
	public static String json(String text) {
		StringBuilder json = new StringBuilder("\"");
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20 || c > 0x7E) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"').toString();
	}

	/**
	 * The string as one percent-encoded path segment: every code point's UTF-8 bytes, an
	 * unpaired surrogate as the three bytes a lenient encoder would give it (WTF-8), and
	 * every byte but letters, digits, {@code -}, {@code _} and {@code ~} escaped, dots
	 * too so that no client or server takes {@code .} or {@code ..} for a path step.
	 * @param text the string
	 * @return the encoded segment
	 */
	public static String pathSegment(String text) {
		StringBuilder segment = new StringBuilder();
		for (int i = 0; i < text.length();) {
			int codePoint = text.codePointAt(i);
			i += Character.charCount(codePoint);
			byte[] bytes = (Character.isSurrogate((char) codePoint)) ? wtf8(codePoint)
					: new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
			for (byte b : bytes) {
				char c = (char) (b & 0xFF);
				if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
						|| c == '~') {
					segment.append(c);
				}
				else {
					segment.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
				}
			}
		}
		return segment.toString();
	}

	private static byte[] wtf8(int surrogate) {
		return new byte[] { (byte) (0xE0 | (surrogate >> 12)), (byte) (0x80 | ((surrogate >> 6) & 0x3F)),
				(byte) (0x80 | (surrogate & 0x3F)) };
	}

}
