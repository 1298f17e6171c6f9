/**
 * Source videos ("generations") that batches upscale.
 */
@NullMarked
package io.veoupscale.store.generation;

import org.jspecify.annotations.NullMarked;
