/**
 * Registering, reading and listing source videos.
 */
@NullMarked
package io.veoupscale.gateway.generation;

import org.jspecify.annotations.NullMarked;
