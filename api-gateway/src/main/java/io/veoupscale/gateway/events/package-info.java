/**
 * Live events: one consumer per instance reads every event of the events topic and hands
 * it to the SSE streams (and to anything else in the gateway that waits for events);
 * reconnecting streams first replay what they missed from the event log.
 */
@NullMarked
package io.veoupscale.gateway.events;

import org.jspecify.annotations.NullMarked;
