package io.veoupscale.flow;

import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /v1/credits} says of an account.
 *
 * @param credits the credits left, if reported
 * @param tier the account's tier
 * @param rawTier the tier text as Flow sent it, if any
 */
public record AccountCredits(@Nullable Integer credits, PaygateTier tier, @Nullable String rawTier) {

}
