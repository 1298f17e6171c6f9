/**
 * Batches: intake from the requests topic, leasing, per-item validation and upstream
 * starts.
 */
@NullMarked
package io.veoupscale.worker.batch;

import org.jspecify.annotations.NullMarked;
