-- How many times a relay set out to publish an outbox row. The mark is committed before the
-- row is sent, so a row with attempts > 0 may be in Kafka already (its relay died after the
-- send and before the delete) and is checked against the topic before it is sent again.
alter table outbox_events add column attempts int not null default 0;
