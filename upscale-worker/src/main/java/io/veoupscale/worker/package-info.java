/**
 * The upscale worker: takes batch requests from Kafka into PostgreSQL, then works each
 * batch on one instance at a time, validating items, starting upscales at Flow with exact
 * pacing and recording every outcome with its events.
 */
@NullMarked
package io.veoupscale.worker;

import org.jspecify.annotations.NullMarked;
