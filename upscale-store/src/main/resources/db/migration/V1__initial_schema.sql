-- Profiles: the Google accounts whose Flow cookies start and check upscales.
create table profiles (
    id                 varchar(128) primary key,
    name               varchar(256) not null,
    logged_in          boolean      not null,
    flow_cookies       bytea,       -- AES-GCM ciphertext; never readable without UPSCALE_CRYPTO_KEY
    cookies_expires_at timestamptz,
    created_at         timestamptz  not null default now(),
    updated_at         timestamptz  not null default now(),
    constraint profiles_expiry_needs_cookies check (flow_cookies is not null or cookies_expires_at is null)
);

-- Generations: the source videos that batches upscale.
create table generations (
    id                  varchar(128) primary key,
    project_id          varchar(128) not null,
    profile_id          varchar(128) not null, -- may name a profile not registered (yet): a validation error, not a constraint
    status              varchar(16)  not null,
    media_generation_id varchar(512),
    flow_project_id     varchar(256),
    created_at          timestamptz  not null default now(),
    updated_at          timestamptz  not null default now(),
    constraint generations_status check (status in ('pending', 'processing', 'completed', 'failed'))
);
create index generations_by_project on generations (project_id, status, created_at desc);
create index generations_by_status on generations (status, created_at desc);

-- Batches, written once by the worker that first receives the request, then leased to one worker at a time.
create table batches (
    id            varchar(64) primary key,
    total         integer     not null,
    delay_ms      integer     not null,
    status        varchar(16) not null default 'queued',
    success_count integer     not null default 0,
    failure_count integer     not null default 0,
    requested_at  timestamptz not null,
    received_at   timestamptz not null default now(),
    started_at    timestamptz,
    completed_at  timestamptz,
    last_start_at timestamptz, -- the latest upstream start, so a resumed batch still honours delay_ms
    leased_by     varchar(128),
    leased_until  timestamptz,
    version       bigint      not null default 0,
    constraint batches_total check (total >= 1),
    constraint batches_delay check (delay_ms between 0 and 60000),
    constraint batches_status check (status in ('queued', 'running', 'completed')),
    constraint batches_counts check (success_count >= 0 and failure_count >= 0 and success_count + failure_count <= total),
    constraint batches_completion check ((status = 'completed') = (completed_at is not null)),
    constraint batches_completed_counts check (status <> 'completed' or success_count + failure_count = total)
);
create index batches_unfinished on batches (leased_until nulls first) where status <> 'completed';

-- One row per requested item; scene_id and upscale_id are derived from (batch, index), so they are stable across retries.
create table batch_items (
    batch_id             varchar(64)  not null references batches (id) on delete cascade,
    item_index           integer      not null,
    source_generation_id varchar(128) not null,
    model                varchar(64)  not null,
    scene_id             uuid         not null unique,
    upscale_id           varchar(64)  not null unique,
    status               varchar(16)  not null default 'pending',
    error                text,
    attempt_started_at   timestamptz, -- set before the upstream call: a 'starting' item after a crash has an unknown outcome
    finished_at          timestamptz,
    primary key (batch_id, item_index),
    constraint batch_items_index check (item_index >= 1),
    constraint batch_items_status check (status in ('pending', 'starting', 'started', 'failed')),
    constraint batch_items_error check ((status = 'failed') = (error is not null))
);

-- Upscales that Flow accepted, one per batch item at most.
create table upscales (
    id                   varchar(64)  primary key,
    batch_id             varchar(64)  not null,
    item_index           integer      not null,
    source_generation_id varchar(128) not null,
    profile_id           varchar(128) not null,
    model                varchar(64)  not null,
    scene_id             uuid         not null unique,
    operation_name       varchar(512) not null,
    flow_project_id      varchar(256),
    status               varchar(16)  not null default 'pending',
    video_url            text,
    error                text,
    created_at           timestamptz  not null default now(),
    updated_at           timestamptz  not null default now(),
    completed_at         timestamptz,
    constraint upscales_one_per_item unique (batch_id, item_index),
    constraint upscales_item foreign key (batch_id, item_index) references batch_items (batch_id, item_index),
    constraint upscales_status check (status in ('pending', 'processing', 'completed', 'failed')),
    constraint upscales_completed_has_video check (status <> 'completed' or video_url is not null),
    constraint upscales_failed_has_error check (status <> 'failed' or error is not null)
);
create index upscales_by_source on upscales (source_generation_id);

-- Transactional outbox: events written with the state they describe, relayed to Kafka in order.
create table outbox_events (
    id         bigserial    primary key,
    topic      varchar(249) not null,
    record_key varchar(256) not null,
    payload    text         not null,
    event_seq  bigint,      -- the event_log sequence of a batch event, sent as the upscale-event-seq header
    created_at timestamptz  not null default now()
);

-- Every batch event, kept for replay (SSE Last-Event-ID); seq is the SSE id.
create table event_log (
    seq         bigserial   primary key,
    event_id    varchar(64) not null unique,
    batch_id    varchar(64) not null,
    type        varchar(64) not null,
    payload     text        not null,
    occurred_at timestamptz not null
);
create index event_log_by_batch on event_log (batch_id, seq);
create index event_log_by_time on event_log (occurred_at);

-- The status poller's schedule: one row per upscale still running at Flow, leased to one poller at a time.
create table operation_checks (
    upscale_id         varchar(64)  primary key references upscales (id),
    batch_id           varchar(64)  not null,
    source_generation_id varchar(128) not null,
    profile_id         varchar(128) not null,
    operation_name     varchar(512) not null,
    flow_project_id    varchar(256),
    next_check_at      timestamptz  not null,
    deadline_at        timestamptz  not null,
    check_interval_ms  integer      not null,
    checks             integer      not null default 0,
    consecutive_errors integer      not null default 0,
    last_error         text,
    leased_by          varchar(128),
    leased_until       timestamptz,
    version            bigint       not null default 0
);
create index operation_checks_due on operation_checks (next_check_at);

-- Start pacing per profile, shared by every worker: the latest reserved start slot and any pause after a throttle.
create table profile_pacing (
    profile_id      varchar(128) primary key,
    last_slot_at    timestamptz,
    paused_until    timestamptz,
    pause_reason    varchar(256),
    throttle_streak integer      not null default 0
);
