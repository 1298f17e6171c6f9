package io.veoupscale.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The endpoints a fault rule can affect, named as on the admin API. */
enum FaultTarget {

	/** {@code POST /v1/video:batchAsyncGenerateVideoUpsampleVideo}. */
	@JsonProperty("start")
	START,

	/** {@code POST /v1/video:batchCheckAsyncVideoGenerationStatus}. */
	@JsonProperty("check")
	CHECK,

	/** {@code GET /fx/api/auth/session}. */
	@JsonProperty("session")
	SESSION,

	/** {@code GET /fx/api/trpc/media.getMediaUrlRedirect}. */
	@JsonProperty("mediaUrl")
	MEDIA_URL

}
