package io.veoupscale.flow;

import java.util.List;
import java.util.Optional;

/**
 * The calls this system makes to Flow. Every call authenticates with a profile's session
 * cookie; access tokens are obtained and refreshed behind this interface. Failures are
 * {@link FlowException}s whose type says what the caller may do next.
 */
public interface FlowClient {

	/**
	 * Obtains or refreshes the profile's access token now, so that a call right after it
	 * goes out at once; callers that pace starts call this before they wait for their
	 * turn.
	 * @param sessionToken the profile's session cookie value
	 * @return whether a new access token was obtained (the session was refreshed), rather
	 * than a cached one kept
	 * @throws FlowException when the session is dead or Flow cannot be reached
	 */
	boolean prepareSession(String sessionToken);

	/**
	 * The model key this client's dialect sends for a requested model: the requested one,
	 * or its configured alias (a current key in place of a deprecated one).
	 * @param model the model a request named
	 * @return the key to send
	 */
	String modelKey(String model);

	/**
	 * Starts one upscale.
	 * @param sessionToken the profile's session cookie value
	 * @param start what to upscale
	 * @return the operation Flow started
	 * @throws FlowException when Flow refuses, throttles or cannot be reached
	 */
	default StartedUpscale startUpscale(String sessionToken, UpscaleStart start) {
		return startUpscale(sessionToken, start, StartTiming.NONE);
	}

	/**
	 * Starts one upscale, telling {@code timing} right before the request goes out and
	 * when Flow's answer arrives. A video Flow upscaled already comes back as that
	 * upscale (in v1 finished at once, its video inline), never as a failure.
	 * @param sessionToken the profile's session cookie value
	 * @param start what to upscale
	 * @param timing what to run at those moments
	 * @return the operation Flow started, or the one it had
	 * @throws FlowException when Flow refuses, throttles or cannot be reached
	 */
	StartedUpscale startUpscale(String sessionToken, UpscaleStart start, StartTiming timing);

	/**
	 * Checks many operations of one profile in one call.
	 * @param sessionToken the profile's session cookie value
	 * @param media the operations' media names and Flow projects
	 * @return one status per media Flow reported on, and the account's credits
	 * @throws FlowException when Flow refuses, throttles or cannot be reached
	 */
	StatusReport checkStatus(String sessionToken, List<MediaRef> media);

	/**
	 * Resolves the URL of a finished video. The URL is signed and expires within hours.
	 * @param sessionToken the profile's session cookie value
	 * @param mediaName the media name of the upscaled video
	 * @return its URL, or empty while Flow has not made it available yet
	 * @throws FlowException when Flow refuses, throttles or cannot be reached
	 */
	Optional<String> videoUrl(String sessionToken, String mediaName);

	/**
	 * Cancels a running generation ({@code flowMedia:cancelGeneration}).
	 * @param sessionToken the profile's session cookie value
	 * @param mediaName the media name of the generation (an upscale's operation name)
	 * @throws FlowException when Flow refuses (a generation that has ended answers
	 * {@code MEDIA_GENERATION_CANNOT_BE_CANCELED}), throttles or cannot be reached
	 */
	void cancelGeneration(String sessionToken, String mediaName);

	/**
	 * Reads the account's tier and credits ({@code GET /v1/credits}).
	 * @param sessionToken the profile's session cookie value
	 * @return what Flow reported
	 * @throws FlowException when Flow refuses, throttles or cannot be reached
	 */
	AccountCredits credits(String sessionToken);

}
