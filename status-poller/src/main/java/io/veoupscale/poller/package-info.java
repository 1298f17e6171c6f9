/**
 * The status poller: tracks every upscale Flow accepted until it completes, fails or
 * misses its deadline, with its schedule in PostgreSQL so that restarts and extra
 * instances lose nothing.
 */
@NullMarked
package io.veoupscale.poller;

import org.jspecify.annotations.NullMarked;
