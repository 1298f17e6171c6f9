/**
 * Reading one upscale, as the poller tracks it to its video.
 */
@NullMarked
package io.veoupscale.gateway.upscale;

import org.jspecify.annotations.NullMarked;
