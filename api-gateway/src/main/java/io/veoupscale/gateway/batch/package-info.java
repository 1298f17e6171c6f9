/**
 * Batches over HTTP: validation, Idempotency-Key, publication to the requests topic, sync
 * submissions that wait for their batch's events, and batch state.
 */
@NullMarked
package io.veoupscale.gateway.batch;

import org.jspecify.annotations.NullMarked;
