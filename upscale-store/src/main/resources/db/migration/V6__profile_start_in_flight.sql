-- A profile's start is "in flight" from the moment a worker takes its turn until Flow has
-- answered it (or the call failed): no other start of the profile leaves meanwhile, and the
-- next one waits the profile's spacing from the answer, the latest moment the previous start
-- can have reached Flow. last_slot_at now holds when the last settled start left.
alter table profile_pacing
    add column last_answer_at     timestamptz,
    add column in_flight_batch_id varchar(64),
    add column in_flight_owner    varchar(128),
    add column in_flight_since    timestamptz;
