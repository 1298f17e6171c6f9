-- Batch events are numbered in the event log by the outbox relay, one relay at a time, rather
-- than under a lock every event-writing transaction had to take: an outbox row of a batch event
-- carries what the relay logs, and event_seq is set when it is logged.
alter table outbox_events
    add column event_id    varchar(64),
    add column event_type  varchar(64),
    add column occurred_at timestamptz;
