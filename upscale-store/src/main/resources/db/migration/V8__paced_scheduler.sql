-- The worker's paced scheduler: many batches leased per worker, the delay of a batch counted
-- from Flow's answer to its previous start, and claims that cap how many batches of one
-- profile are leased at once.
alter table batches
    add column profile_id     varchar(128), -- the profile of the first item's source video when the batch was taken in, if known
    add column last_answer_at timestamptz;  -- when Flow answered the latest start (or the call ended): the next leaves delay_ms after it
create index batches_unfinished_by_profile on batches (profile_id) where status <> 'completed';

-- When each start left and when its answer came, as the worker saw them.
alter table batch_items
    add column sent_at     timestamptz,
    add column answered_at timestamptz;

-- An item left 'starting' now tells a new owner that a start may have been in flight; the
-- batch row is no longer written when a start leaves.
alter table batches drop column last_start_at;
