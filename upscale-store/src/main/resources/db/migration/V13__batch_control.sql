-- Batch control (issue 13): operators cancel, pause, resume and retry batches, and pause profiles.

-- A batch's control state, written by whoever applies a command (gateway or worker), read by the
-- turn transaction so that no start of a paused or cancelled batch leaves, on any worker.
-- 'paused': no item starts and no worker claims the batch until it is resumed.
-- 'cancelling': the batch's unstarted items failed as cancelled; a start in flight ends as it ends,
-- then the batch completes as cancelled.
-- A cancelled batch is completed (status 'completed', so every rule about finished batches holds)
-- with cancelled_at set; cancelled_count counts the items that never started because of it.
alter table batches
    add column control         varchar(16),
    add column control_by      varchar(128),
    add column control_at      timestamptz,
    add column cancelled_at    timestamptz,
    add column cancelled_count integer not null default 0,
    add column cancel_upstream boolean not null default false,
    add constraint batches_control check (control in ('paused', 'cancelling')),
    add constraint batches_cancelled_is_completed check (cancelled_at is null or status = 'completed');

-- Retries: the batch a retry created, and the batch whose failed items it retries.
create table batch_retries (
    batch_id   varchar(64) primary key,
    retry_of   varchar(64) not null,
    only_kind  varchar(16) not null,
    created_at timestamptz not null
);
create index batch_retries_by_origin on batch_retries (retry_of, created_at);

-- Commands of the command topic that carried an id, applied once however often delivered.
create table batch_commands_applied (
    command_id varchar(128) primary key,
    batch_id   varchar(64)  not null,
    applied_at timestamptz  not null
);

-- An upscale already started when its batch was cancelled with upstream=true: the poller asks Flow
-- to cancel it (flowMedia:cancelGeneration) at its next check, and records it failed.
alter table operation_checks
    add column cancel_requested_at timestamptz;

-- Listing batches newest first.
create index batches_by_received on batches (received_at desc, id desc);
