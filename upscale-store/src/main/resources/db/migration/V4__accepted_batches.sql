-- Batches the gateway handed to Kafka (written once the broker acknowledged them), so that
-- GET /api/v1/upscale-batches/{id} answers 'queued' until a worker stores the batch in batches.
-- Workers never read this table; the gateway deletes rows past the event log's retention.
create table accepted_batches (
    batch_id     varchar(64) primary key,
    total        integer     not null,
    delay_ms     integer     not null,
    requests     jsonb       not null, -- [{"sourceGenerationId":..,"model":..}] in request order, defaults applied
    requested_at timestamptz not null,
    accepted_at  timestamptz not null
);
create index accepted_batches_by_age on accepted_batches (accepted_at);
