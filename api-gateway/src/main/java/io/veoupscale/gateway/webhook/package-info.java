/**
 * Webhooks: subscriptions over HTTP, and the sender that posts each delivery signed per
 * the Standard Webhooks specification, retrying with back-off.
 */
@NullMarked
package io.veoupscale.gateway.webhook;

import org.jspecify.annotations.NullMarked;
