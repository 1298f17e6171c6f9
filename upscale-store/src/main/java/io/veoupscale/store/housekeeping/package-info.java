/**
 * Housekeeping that runs once per deployment.
 */
@NullMarked
package io.veoupscale.store.housekeeping;

import org.jspecify.annotations.NullMarked;
