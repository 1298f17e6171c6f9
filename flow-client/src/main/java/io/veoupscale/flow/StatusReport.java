package io.veoupscale.flow;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The answer to one status check.
 *
 * @param media one status per media asked about, as Flow listed them
 * @param remainingCredits the account's credits, when Flow reported them
 */
public record StatusReport(List<MediaStatus> media, @Nullable Integer remainingCredits) {

}
