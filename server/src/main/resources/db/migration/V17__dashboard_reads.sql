-- The overview's "futures ended in the last minute / hour" from a rollup instead of a scan of the
-- tasks of every job running or ended within the hour (ADR 0020, issue 12): per job and 10-second
-- bucket, how many of its tasks entered a terminal state. The counters' trigger keeps it from the
-- grouped delta it already computes (no second pass over the statement's rows); the rows are keyed
-- by job, whose row the writer already holds, so the rollup adds no lock that writers of different
-- jobs share. Rows older than an hour are deleted every minute (DashboardStatements.forgetEnds).
create table task_ends (
  job_id    uuid        not null,
  tenant_id text        not null,
  bucket    timestamptz not null,
  n         int         not null,
  constraint task_ends_pk primary key (job_id, bucket)
);

-- n is in no index, so adding to a bucket is a HOT update
create index task_ends_by_tenant on task_ends (tenant_id, bucket);
create index task_ends_by_bucket on task_ends (bucket);

create or replace function quarry_task_counters() returns trigger language plpgsql as $$
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
      from x group by job_id),
    u as (
      update jobs j set pending = j.pending + d.p, running = j.running + d.r,
                        succeeded = j.succeeded + d.s, failed = j.failed + d.f,
                        cancelled = j.cancelled + d.c
      from d where j.id = d.job_id
        and (d.p <> 0 or d.r <> 0 or d.s <> 0 or d.f <> 0 or d.c <> 0)
      returning j.id, j.tenant_id, d.s + d.f + d.c as ended)
    insert into task_ends as e (job_id, tenant_id, bucket, n)
    select id, tenant_id, date_bin('10 seconds', now(), timestamptz '2000-01-01'), ended
    from u where ended > 0
    on conflict (job_id, bucket) do update set n = e.n + excluded.n;
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

-- What ended within the last hour before this migration, so the overview does not start at zero.
insert into task_ends (job_id, tenant_id, bucket, n)
select t.job_id, j.tenant_id, date_bin('10 seconds', t.finished_at, timestamptz '2000-01-01'),
       count(*)
from jobs j join tasks t on t.job_id = j.id
where t.finish_seq is not null and t.finished_at > now() - interval '1 hour'
  and (j.state = 'RUNNING' or j.finished_at > now() - interval '1 hour')
group by 1, 2, 3;

-- The dashboard's "failed only" futures table, keyset on idx: without it a page of a
-- 100,000-future job with few failures walks the job's whole primary-key range. Only failed rows
-- are in it, so writers of other states do not maintain it.
create index tasks_failed on tasks (job_id, idx) where state = 'FAILED';
