/**
 * Registering and reading profiles; cookies are write-only.
 */
@NullMarked
package io.veoupscale.gateway.profile;

import org.jspecify.annotations.NullMarked;
