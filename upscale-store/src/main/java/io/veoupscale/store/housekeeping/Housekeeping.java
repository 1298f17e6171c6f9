package io.veoupscale.store.housekeeping;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.veoupscale.store.InstanceIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Runs periodic housekeeping (purges, retention) once per deployment, whatever the number
 * of instances: before each run an instance takes the task's row in
 * {@code housekeeping_runs}, which it can only while the last run, by any instance, is an
 * interval old. Tasks run on a thread of their own, so that they never hold up, nor wait
 * for, an instance's other scheduled work.
 */
@Component
public class Housekeeping implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(Housekeeping.class);

	/**
	 * The share of an interval by which a run may come early and still be due, so that
	 * two instances' schedules drifting by a little never skip a run.
	 */
	private static final double EARLY = 0.1;

	private final JdbcClient jdbc;

	private final HousekeepingProperties properties;

	private final Clock clock;

	private final String owner;

	private final ThreadPoolTaskScheduler scheduler;

	@Autowired
	Housekeeping(JdbcClient jdbc, HousekeepingProperties properties) {
		this(jdbc, properties, Clock.systemUTC(), InstanceIds.resolve(""));
	}

	Housekeeping(JdbcClient jdbc, HousekeepingProperties properties, Clock clock, String owner) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
		this.owner = owner;
		this.scheduler = new ThreadPoolTaskScheduler();
		this.scheduler.setPoolSize(1);
		this.scheduler.setThreadNamePrefix("housekeeping-");
		this.scheduler.initialize();
	}

	/**
	 * Runs a task every interval, on one instance of the deployment at a time.
	 * @param task the task's name, the same on every instance
	 * @param interval how often it runs
	 * @param work what it does
	 */
	public void every(String task, Duration interval, Runnable work) {
		this.scheduler.scheduleWithFixedDelay(() -> runIfDue(task, interval, work),
				this.clock.instant().plus(this.properties.firstRunDelay()), interval);
	}

	/**
	 * Runs the task if no instance ran it within the last interval.
	 * @return whether it ran here
	 */
	boolean runIfDue(String task, Duration interval, Runnable work) {
		try {
			if (!claim(task, interval)) {
				return false;
			}
			work.run();
			return true;
		}
		catch (RuntimeException ex) {
			logger.warn("Housekeeping task {} failed; it runs again in {}: {}", task, interval, ex.getMessage());
			return false;
		}
	}

	private boolean claim(String task, Duration interval) {
		Instant now = this.clock.instant();
		Instant due = now.minus(interval).plusMillis((long) (interval.toMillis() * EARLY));
		return this.jdbc.sql("""
				insert into housekeeping_runs (task, ran_at, ran_by) values (:task, :now, :owner)
				on conflict (task) do update set ran_at = excluded.ran_at, ran_by = excluded.ran_by
				where housekeeping_runs.ran_at <= :due
				returning task
				""")
			.param("task", task)
			.param("now", Timestamp.from(now))
			.param("owner", this.owner)
			.param("due", Timestamp.from(due))
			.query(String.class)
			.optional()
			.isPresent();
	}

	@Override
	public void destroy() {
		this.scheduler.shutdown();
	}

}
