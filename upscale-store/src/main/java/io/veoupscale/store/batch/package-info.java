/**
 * Control of batches shared by the gateway (HTTP) and the worker (the command topic):
 * cancel, pause and resume, with their rules in one place.
 */
@NullMarked
package io.veoupscale.store.batch;

import org.jspecify.annotations.NullMarked;
