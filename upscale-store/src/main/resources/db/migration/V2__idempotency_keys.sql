-- Idempotency-Key of the gateway's batch endpoints (Stripe semantics), shared by every gateway instance.
create table idempotency_keys (
    client          varchar(64)  not null, -- hex SHA-256 of the API key that sent the request: keys never cross clients
    idempotency_key varchar(255) not null,
    request_hash    char(64)     not null, -- hex SHA-256 of the endpoint and the canonical request body
    resource_id     varchar(64)  not null, -- the batch id, fixed at first use so that a retry never starts a second batch
    state           varchar(16)  not null,
    locked_until    timestamptz,           -- lease of an in-flight request; past it a duplicate takes the request over
    response_status integer,
    response_body   text,                  -- the first answer, replayed for the same key and body
    created_at      timestamptz  not null default now(),
    completed_at    timestamptz,
    primary key (client, idempotency_key),
    constraint idempotency_keys_state check (state in ('in_flight', 'released', 'completed')),
    constraint idempotency_keys_lease check ((state = 'in_flight') = (locked_until is not null)),
    constraint idempotency_keys_answer check ((state = 'completed') = (response_status is not null and response_body is not null))
);
create index idempotency_keys_by_age on idempotency_keys (created_at);
