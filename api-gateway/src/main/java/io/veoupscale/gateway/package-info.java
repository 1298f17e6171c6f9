/**
 * The API gateway: the HTTP contract of the batch upscale system, live events over SSE
 * and the dashboard. It publishes batch requests to Kafka and reads state from
 * PostgreSQL.
 */
@NullMarked
package io.veoupscale.gateway;

import org.jspecify.annotations.NullMarked;
