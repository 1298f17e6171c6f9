package io.veoupscale.simulator;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One {@code flowMedia:cancelGeneration} call as the simulator logged it.
 *
 * @param receivedAt when it arrived
 * @param account the account whose access token it carried, if valid
 * @param mediaId the media it asked to cancel
 * @param outcome {@code cancelled}, or the HTTP status answered (such as {@code 400} for
 * a generation that cannot be cancelled any more)
 */
record CancelCall(Instant receivedAt, @Nullable String account, String mediaId, String outcome) {

	/** The outcome of a call that cancelled its generation. */
	static final String CANCELLED = "cancelled";

}
