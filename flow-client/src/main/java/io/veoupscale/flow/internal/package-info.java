/**
 * The HTTP details of the Flow API: declared exchanges, dialects, the session token cache
 * and the mapping of Google RPC errors.
 */
@NullMarked
package io.veoupscale.flow.internal;

import org.jspecify.annotations.NullMarked;
