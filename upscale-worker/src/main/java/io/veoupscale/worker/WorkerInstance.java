package io.veoupscale.worker;

/**
 * This instance's name as a lease owner.
 *
 * @param id the name written to {@code leased_by}
 */
public record WorkerInstance(String id) {

}
