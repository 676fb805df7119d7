-- Replicas announce themselves; tasks leased by a replica that stopped beating are reclaimed
-- without waiting for their (possibly long) lease to run out. Infrastructure, not tenant data.
create table replicas (
  owner        text primary key,
  started_at   timestamptz not null default now(),
  heartbeat_at timestamptz not null default now()
);
