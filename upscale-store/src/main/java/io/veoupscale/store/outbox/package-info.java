/**
 * The transactional outbox: events are written in the transaction of the state they
 * describe and relayed to Kafka in order, so no event is lost when a process dies.
 */
@NullMarked
package io.veoupscale.store.outbox;

import org.jspecify.annotations.NullMarked;
