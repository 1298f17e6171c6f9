/**
 * Benchmarks run as a program on real infrastructure (the embedded broker and PostgreSQL
 * of test-support), printing tables; never timed unit tests.
 */
@NullMarked
package io.veoupscale.bench;

import org.jspecify.annotations.NullMarked;
