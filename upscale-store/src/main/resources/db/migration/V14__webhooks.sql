-- Webhook subscriptions: an HTTP endpoint that receives the batch events it names, of every
-- batch or of one. The signing secret is stored AES-GCM encrypted (UPSCALE_CRYPTO_KEY); a
-- callbackUrl subscription (origin 'callback') has none and is signed with the deployment's
-- callback secret.
create table webhook_subscriptions (
    id              varchar(40)  primary key,
    url             text         not null,
    events          text[]       not null,
    batch_id        varchar(64),
    description     varchar(500),
    secret          bytea,
    origin          varchar(16)  not null default 'api',
    status          varchar(16)  not null default 'active',
    disabled_reason text,
    created_at      timestamptz  not null default now(),
    constraint webhook_subscriptions_origin check (origin in ('api', 'callback')),
    constraint webhook_subscriptions_status check (status in ('active', 'disabled')),
    constraint webhook_subscriptions_secret check (origin = 'callback' or secret is not null),
    constraint webhook_subscriptions_events check (cardinality(events) >= 1)
);
create unique index webhook_subscriptions_one_callback on webhook_subscriptions (batch_id, url) where origin = 'callback';
create index webhook_subscriptions_active on webhook_subscriptions (batch_id) where status = 'active';

-- One row per event and subscription, written by the outbox relay in the transaction that
-- numbers the event in event_log, so no event is lost between the log and its webhooks. The
-- payload is the event's JSON exactly as on the events topic. Senders lease due rows
-- (FOR UPDATE SKIP LOCKED); the row id is the stable webhook-id.
create table webhook_deliveries (
    id              bigserial    primary key,
    subscription_id varchar(40)  not null references webhook_subscriptions (id) on delete cascade,
    event_seq       bigint       not null,
    event_id        varchar(64)  not null,
    event_type      varchar(64)  not null,
    batch_id        varchar(64)  not null,
    payload         text         not null,
    occurred_at     timestamptz  not null,
    status          varchar(16)  not null default 'pending',
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null default now(),
    first_attempt_at timestamptz,
    last_attempt_at timestamptz,
    last_http_status integer,
    last_error      text,
    delivered_at    timestamptz,
    leased_by       varchar(128),
    leased_until    timestamptz,
    version         bigint       not null default 0,
    created_at      timestamptz  not null default now(),
    constraint webhook_deliveries_once unique (subscription_id, event_seq),
    constraint webhook_deliveries_status check (status in ('pending', 'delivered', 'failed'))
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_in_order on webhook_deliveries (subscription_id, batch_id, event_seq) where status = 'pending';
create index webhook_deliveries_by_subscription on webhook_deliveries (subscription_id, id desc);

-- Wakes the senders (LISTEN upscale_webhook_deliveries) when a transaction commits new
-- deliveries, so that they wait for their poll interval only when a notification is missed.
create function notify_webhook_deliveries() returns trigger language plpgsql as $$
begin
    if exists (select 1 from inserted) then
        perform pg_notify('upscale_webhook_deliveries', '');
    end if;
    return null;
end $$;
create trigger webhook_deliveries_notify after insert on webhook_deliveries
    referencing new table as inserted
    for each statement execute function notify_webhook_deliveries();
