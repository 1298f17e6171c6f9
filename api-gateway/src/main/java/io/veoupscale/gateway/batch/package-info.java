/**
 * Batch submission: validation, publication to the requests topic, batch state.
 */
@NullMarked
package io.veoupscale.gateway.batch;

import org.jspecify.annotations.NullMarked;
