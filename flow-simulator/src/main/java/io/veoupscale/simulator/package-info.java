/**
 * A stand-in for the Flow video API (v2 dialect) that counts starts and injects faults.
 */
@NullMarked
package io.veoupscale.simulator;

import org.jspecify.annotations.NullMarked;
