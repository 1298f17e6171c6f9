-- When Flow accepted each tracked upscale, so the poller can time initiation to end; null for rows tracked before.
alter table operation_checks add column initiated_at timestamptz;
