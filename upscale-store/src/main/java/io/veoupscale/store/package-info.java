/**
 * What the services share in PostgreSQL and Kafka: the Flyway schema, topic settings, the
 * transactional outbox, profiles with encrypted cookies, and source videos.
 */
@NullMarked
package io.veoupscale.store;

import org.jspecify.annotations.NullMarked;
