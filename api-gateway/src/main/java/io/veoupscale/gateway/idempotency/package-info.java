/**
 * Idempotency-Key handling with Stripe's semantics, kept in PostgreSQL so that it holds
 * across gateway instances and restarts.
 */
@NullMarked
package io.veoupscale.gateway.idempotency;

import org.jspecify.annotations.NullMarked;
