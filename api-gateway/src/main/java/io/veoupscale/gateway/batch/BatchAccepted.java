package io.veoupscale.gateway.batch;

/**
 * The answer to an async submission.
 *
 * @param batchId the new batch's id
 * @param total its number of items
 */
record BatchAccepted(String batchId, int total) {

}
