/**
 * Gauges read from the shared database: what every instance sees alike.
 */
@NullMarked
package io.veoupscale.store.metrics;

import org.jspecify.annotations.NullMarked;
