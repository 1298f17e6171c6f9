/**
 * Real infrastructure for the tests of every module: a Kafka broker and a fresh
 * PostgreSQL database, started once per test JVM.
 */
@NullMarked
package io.veoupscale.testsupport;

import org.jspecify.annotations.NullMarked;
