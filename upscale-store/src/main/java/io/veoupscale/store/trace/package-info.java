/**
 * Trace context that outlives a call: kept with a row as a W3C {@code traceparent}, and
 * made current again by the work the row causes later.
 */
@NullMarked
package io.veoupscale.store.trace;

import org.jspecify.annotations.NullMarked;
