/**
 * The one-command local run of the whole system.
 */
@NullMarked
package io.veoupscale.localrun;

import org.jspecify.annotations.NullMarked;
