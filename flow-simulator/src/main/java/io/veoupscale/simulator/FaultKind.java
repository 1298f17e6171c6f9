package io.veoupscale.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a fault rule does to the calls it matches, named as on the admin API. */
enum FaultKind {

	/** Answer with the rule's HTTP status and RPC envelope without doing the work. */
	@JsonProperty("error")
	ERROR,

	/** Wait for the rule's latency, then answer normally. */
	@JsonProperty("latency")
	LATENCY,

	/** Accept the start, but let its operations end FAILED with the rule's reasons. */
	@JsonProperty("failOperation")
	FAIL_OPERATION,

	/** Kill the caller's session and revoke its tokens. */
	@JsonProperty("expireSession")
	EXPIRE_SESSION,

	/**
	 * Hold the request for the rule's latency before it counts as arrived, as a request
	 * that needs that long to reach Flow (a new connection's handshake, a slow network).
	 */
	@JsonProperty("slowArrival")
	SLOW_ARRIVAL,

	/** Close the connection without writing a response. */
	@JsonProperty("disconnect")
	DISCONNECT

}
