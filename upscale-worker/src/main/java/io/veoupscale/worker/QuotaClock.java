package io.veoupscale.worker;

import java.time.Clock;
import java.time.Instant;

/**
 * The clock on which Flow's daily quotas are held and reset. It is the worker's own
 * clock; a test that needs a quota to reset replaces this bean with one it moves forward,
 * leaving the clock that times starts, leases and timers alone.
 *
 * @param clock the clock read
 */
public record QuotaClock(Clock clock) {

	/**
	 * The current moment on this clock.
	 * @return now
	 */
	public Instant instant() {
		return this.clock.instant();
	}

}
