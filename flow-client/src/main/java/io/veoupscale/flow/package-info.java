/**
 * The Flow video API as this system uses it: start an upscale, check operations, resolve
 * the video URL, behind one interface whatever the API dialect.
 */
@NullMarked
package io.veoupscale.flow;

import org.jspecify.annotations.NullMarked;
