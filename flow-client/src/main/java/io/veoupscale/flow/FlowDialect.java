package io.veoupscale.flow;

/**
 * The shapes the Flow API has had.
 */
public enum FlowDialect {

	/** 2025: {@code video:batchAsyncUpsampleVideo}, operations in the status check. */
	V1,

	/**
	 * 2026: {@code video:batchAsyncGenerateVideoUpsampleVideo}, media in the status
	 * check.
	 */
	V2

}
