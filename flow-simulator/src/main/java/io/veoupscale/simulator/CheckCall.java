package io.veoupscale.simulator;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One status check call as the call log keeps it.
 *
 * @param receivedAt when the call arrived
 * @param account the simulated account, null when the call was not authenticated
 * @param names the operation names asked about, in request order
 * @param outcome the HTTP status answered (such as {@code 200}), or {@code disconnected}
 */
record CheckCall(Instant receivedAt, @Nullable String account, List<String> names, String outcome) {

}
