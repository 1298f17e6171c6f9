package io.veoupscale.poller.operation;

/**
 * This poller instance as a lease owner.
 *
 * @param owner the name written in {@code leased_by}
 */
record PollerInstance(String owner) {
}
