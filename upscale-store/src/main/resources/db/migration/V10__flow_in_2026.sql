-- Flow as it is in 2026 (issue 12).

-- A source video's shape: Flow must be told the aspect ratio of the video it upscales.
alter table generations
    add column aspect_ratio varchar(16) not null default 'landscape',
    add constraint generations_aspect_ratio check (aspect_ratio in ('landscape', 'portrait', 'square'));

-- The model key actually sent to Flow (a current key may stand in for a deprecated one), and when
-- the video URL was resolved: Flow's signed links expire within hours.
alter table upscales
    add column model_key    varchar(64),
    add column video_url_at timestamptz;

-- Flow names an upscale after its source (<mediaGenerationId>_upsampled), and a media id may be
-- 512 characters long.
alter table upscales alter column operation_name type varchar(1024);
alter table operation_checks alter column operation_name type varchar(1024);

-- Account health, shared by every worker: a profile whose account quota is spent is held until
-- the quota resets, and the last refusal Flow answered its starts with is kept for operators.
alter table profile_pacing
    add column quota_held_until    timestamptz,
    add column quota_reason        varchar(256),
    add column last_refusal_reason varchar(256),
    add column last_refusal_at     timestamptz;

-- A model whose daily quota a profile has spent is held for that profile until the quota resets.
create table profile_model_holds (
    profile_id varchar(128) not null,
    model      varchar(64)  not null,
    held_until timestamptz  not null,
    reason     varchar(256) not null,
    primary key (profile_id, model)
);

-- What Flow last said of each profile's account: its tier (GET /v1/credits, read when a session is
-- refreshed) and its credits (remainingCredits, on every answer).
create table profile_accounts (
    profile_id varchar(128) primary key,
    tier       varchar(64),
    tier_at    timestamptz,
    credits    integer,
    credits_at timestamptz
);
