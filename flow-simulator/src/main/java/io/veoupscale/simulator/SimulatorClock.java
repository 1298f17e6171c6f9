package io.veoupscale.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulator's time: another clock's, moved forward by what tests asked for through
 * {@code POST /admin/clock}, so that quotas reset, operations finish and links expire
 * without anyone waiting.
 */
class SimulatorClock extends Clock {

	private final Clock base;

	private volatile Duration offset = Duration.ZERO;

	SimulatorClock(Clock base) {
		this.base = base;
	}

	/**
	 * Moves the clock forward.
	 * @param duration how far; not negative
	 * @return the new time
	 */
	synchronized Instant advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("The clock only moves forward");
		}
		this.offset = this.offset.plus(duration);
		return instant();
	}

	@Override
	public Instant instant() {
		return this.base.instant().plus(this.offset);
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("the simulator works in UTC");
	}

}
