-- Housekeeping that runs once per deployment, whatever the number of instances: an instance
-- runs a task only after taking its row, which it can while the last run is an interval old.
create table housekeeping_runs (
    task    varchar(64)  primary key,
    ran_at  timestamptz  not null,
    ran_by  varchar(128) not null
);
