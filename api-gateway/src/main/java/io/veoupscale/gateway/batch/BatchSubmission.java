package io.veoupscale.gateway.batch;

import java.util.List;

import io.veoupscale.events.UpscaleRequest;
import org.jspecify.annotations.Nullable;

/**
 * The body of both batch endpoints (the seed's request).
 *
 * @param requests the items
 * @param delayMs least time between two upstream starts; {@code null} for 1500
 */
record BatchSubmission(@Nullable List<@Nullable UpscaleRequest> requests, @Nullable Integer delayMs) {

}
