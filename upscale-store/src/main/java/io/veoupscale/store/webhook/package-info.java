/**
 * Webhook subscriptions and their deliveries: rows that the outbox relay derives from
 * every event it numbers, and that senders lease, post and retry.
 */
@NullMarked
package io.veoupscale.store.webhook;

import org.jspecify.annotations.NullMarked;
