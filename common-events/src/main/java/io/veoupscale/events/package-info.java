/**
 * The messages of the batch upscale system: the command on the batch-requests topic, the
 * events on the batch-events topic and the initiated-upscale records on the operations
 * topic, with their topic names and their JSON mapping.
 */
@NullMarked
package io.veoupscale.events;

import org.jspecify.annotations.NullMarked;
