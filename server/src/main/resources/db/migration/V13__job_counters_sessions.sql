-- Per-state task counters on the job row (ADR 0020), kept by PostgreSQL itself: one statement-level
-- trigger per kind of write on tasks folds the statement's rows (transition tables) into one
-- grouped delta per job, so no writer of tasks.state can forget them. Lock order everywhere: the
-- job row before its tasks (claims and hand-backs lock their jobs first), so the trigger only ever
-- updates job rows its transaction already holds.
alter table jobs
  add column pending   int not null default 0,
  add column running   int not null default 0,
  add column succeeded int not null default 0,
  add column failed    int not null default 0,
  add column cancelled int not null default 0;

-- The worker (host/instance) that ran the latest recorded attempt of a future.
alter table tasks add column worker_id text;

create function quarry_task_counters() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    with d as (
      select job_id,
             count(*) filter (where state = 'PENDING')   as p,
             count(*) filter (where state = 'RUNNING')   as r,
             count(*) filter (where state = 'SUCCEEDED') as s,
             count(*) filter (where state = 'FAILED')    as f,
             count(*) filter (where state = 'CANCELLED') as c
      from new_rows group by job_id)
    update jobs j set pending = j.pending + d.p, running = j.running + d.r,
                      succeeded = j.succeeded + d.s, failed = j.failed + d.f,
                      cancelled = j.cancelled + d.c
    from d where j.id = d.job_id;
  elsif tg_op = 'UPDATE' then
    with x as (
      select job_id, state, 1 as n from new_rows
      union all
      select job_id, state, -1 from old_rows),
    d as (
      select job_id,
             coalesce(sum(n) filter (where state = 'PENDING'), 0)   as p,
             coalesce(sum(n) filter (where state = 'RUNNING'), 0)   as r,
             coalesce(sum(n) filter (where state = 'SUCCEEDED'), 0) as s,
             coalesce(sum(n) filter (where state = 'FAILED'), 0)    as f,
             coalesce(sum(n) filter (where state = 'CANCELLED'), 0) as c
      from x group by job_id)
    update jobs j set pending = j.pending + d.p, running = j.running + d.r,
                      succeeded = j.succeeded + d.s, failed = j.failed + d.f,
                      cancelled = j.cancelled + d.c
    from d where j.id = d.job_id
      and (d.p <> 0 or d.r <> 0 or d.s <> 0 or d.f <> 0 or d.c <> 0);
  else
    with d as (
      select job_id,
             count(*) filter (where state = 'PENDING')   as p,
             count(*) filter (where state = 'RUNNING')   as r,
             count(*) filter (where state = 'SUCCEEDED') as s,
             count(*) filter (where state = 'FAILED')    as f,
             count(*) filter (where state = 'CANCELLED') as c
      from old_rows group by job_id)
    update jobs j set pending = j.pending - d.p, running = j.running - d.r,
                      succeeded = j.succeeded - d.s, failed = j.failed - d.f,
                      cancelled = j.cancelled - d.c
    from d where j.id = d.job_id;
  end if;
  return null;
end
$$;

-- No writer may change tasks while the counters are backfilled and the triggers created.
lock table tasks in share row exclusive mode;

update jobs j set pending = c.p, running = c.r, succeeded = c.s, failed = c.f, cancelled = c.c
from (select job_id,
             count(*) filter (where state = 'PENDING')   as p,
             count(*) filter (where state = 'RUNNING')   as r,
             count(*) filter (where state = 'SUCCEEDED') as s,
             count(*) filter (where state = 'FAILED')    as f,
             count(*) filter (where state = 'CANCELLED') as c
      from tasks group by job_id) c
where j.id = c.job_id;

create trigger tasks_counters_insert after insert on tasks
  referencing new table as new_rows
  for each statement execute function quarry_task_counters();
create trigger tasks_counters_update after update on tasks
  referencing old table as old_rows new table as new_rows
  for each statement execute function quarry_task_counters();
create trigger tasks_counters_delete after delete on tasks
  referencing old table as old_rows
  for each statement execute function quarry_task_counters();

-- The dashboard's sessions (Spring Session JDBC's PostgreSQL schema, under our table name), so
-- that a sign-in holds on every replica. Rows expire (expiry_time, epoch ms) and every replica
-- deletes the expired ones every minute.
create table dashboard_sessions (
  primary_id            char(36) not null,
  session_id            char(36) not null,
  creation_time         bigint not null,
  last_access_time      bigint not null,
  max_inactive_interval int not null,
  expiry_time           bigint not null,
  principal_name        varchar(100),
  constraint dashboard_sessions_pk primary key (primary_id)
);

create unique index dashboard_sessions_ix1 on dashboard_sessions (session_id);
create index dashboard_sessions_ix2 on dashboard_sessions (expiry_time);
create index dashboard_sessions_ix3 on dashboard_sessions (principal_name);

create table dashboard_sessions_attributes (
  session_primary_id char(36) not null,
  attribute_name     varchar(200) not null,
  attribute_bytes    bytea not null,
  constraint dashboard_sessions_attributes_pk primary key (session_primary_id, attribute_name),
  constraint dashboard_sessions_attributes_fk foreign key (session_primary_id)
    references dashboard_sessions (primary_id) on delete cascade
);
