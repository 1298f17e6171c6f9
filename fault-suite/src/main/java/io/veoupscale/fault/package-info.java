/**
 * A fault suite: the services as separate processes on a standalone Kafka broker and a
 * PostgreSQL the suite can stop, under crashes, bad input, upstream faults and outages;
 * printed as a pass/fail table with figures.
 */
@NullMarked
package io.veoupscale.fault;

import org.jspecify.annotations.NullMarked;
