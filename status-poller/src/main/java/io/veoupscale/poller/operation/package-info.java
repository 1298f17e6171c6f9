/**
 * Operations: intake from the operations topic, leased batched status checks, outcomes.
 */
@NullMarked
package io.veoupscale.poller.operation;

import org.jspecify.annotations.NullMarked;
