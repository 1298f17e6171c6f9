package io.veoupscale.worker.batch;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.veoupscale.store.metrics.QueryGauges;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What an operator asks of the whole system first: how many batches are queued, running
 * and paused, and how many profiles are throttled, held by a spent quota or paused by an
 * operator. Read from PostgreSQL, so every worker reports the same figures; a dashboard
 * takes their maximum.
 */
@Component
class StateGauges {

	private static final Duration MAX_AGE = Duration.ofSeconds(5);

	StateGauges(JdbcClient jdbc, MeterRegistry meters) {
		QueryGauges.register(meters, "upscale.batches", "Unfinished batches by state", "state",
				List.of("queued", "running", "paused"), MAX_AGE,
				() -> jdbc
					.sql("""
							select count(*) filter (where status = 'queued' and control is distinct from 'paused')
							           + (select count(*) from accepted_batches a
							              where not exists (select 1 from batches b where b.id = a.batch_id)) as queued,
							       count(*) filter (where status = 'running' and control is distinct from 'paused') as running,
							       count(*) filter (where control = 'paused') as paused
							from batches where status <> 'completed'
							""")
					.query((rs, row) -> Map.of("queued", rs.getLong("queued"), "running", rs.getLong("running"),
							"paused", rs.getLong("paused")))
					.single());
		QueryGauges.register(meters, "upscale.profiles", "Profiles whose starts wait, by why", "state",
				List.of("throttled", "quota_held", "paused"), MAX_AGE,
				() -> jdbc
					.sql("""
							select count(*) filter (where paused_until > now()
							                        and pause_reason is distinct from 'paused by operator') as throttled,
							       count(*) filter (where quota_held_until > now()
							                        or exists (select 1 from profile_model_holds h
							                                   where h.profile_id = p.profile_id and h.held_until > now()))
							           as quota_held,
							       count(*) filter (where paused_until > now() and pause_reason = 'paused by operator') as paused
							from profile_pacing p
							""")
					.query((rs, row) -> Map.of("throttled", rs.getLong("throttled"), "quota_held",
							rs.getLong("quota_held"), "paused", rs.getLong("paused")))
					.single());
	}

}
