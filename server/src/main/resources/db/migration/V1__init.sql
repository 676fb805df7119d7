-- Quarry schema. Every table carries tenant_id; every query filters on it.

create table tenants (
  id          text primary key,
  name        text not null,
  created_at  timestamptz not null default now(),
  disabled_at timestamptz
);

insert into tenants (id, name) values ('default', 'Default tenant');

create table api_keys (
  id           uuid primary key,
  tenant_id    text not null references tenants (id),
  prefix       text not null unique,
  secret_hash  bytea not null,
  name         text not null,
  role         text not null check (role in ('admin', 'member', 'viewer')),
  created_at   timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Content-addressed uploads (jars, serialized functions), deduplicated per tenant.
create table blobs (
  tenant_id  text not null references tenants (id),
  digest     text not null,
  size       bigint not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, digest)
);

create table functions (
  tenant_id      text not null references tenants (id),
  id             uuid not null,
  name           text,
  kind           text not null check (kind in ('JAR_ENTRY', 'SERIALIZED')),
  codec          text not null check (codec in ('JAVA', 'JSON')),
  entry_class    text,
  payload_digest text,
  jar_digests    text[] not null,
  bundle_digest  text not null,
  created_at     timestamptz not null default now(),
  primary key (tenant_id, id)
);

create unique index functions_by_name on functions (tenant_id, name) where name is not null;
create unique index functions_anonymous_by_bundle on functions (tenant_id, bundle_digest) where name is null;

create sequence job_seq;

create table jobs (
  tenant_id             text not null references tenants (id),
  id                    uuid not null,
  seq                   bigint not null default nextval('job_seq'),
  state                 text not null check (state in ('RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
  function_id           uuid,
  function_name         text not null,
  function_kind         text not null,
  entry_class           text,
  payload_digest        text,
  jar_digests           text[] not null,
  bundle_digest         text not null,
  codec                 text not null,
  total                 int not null,
  chunk_size            int not null,
  max_attempts          int not null,
  retry_function_errors boolean not null,
  timeout_ms            bigint not null,
  label                 text not null default '',
  message               text not null default '',
  created_by            uuid,
  created_at            timestamptz not null default now(),
  finished_at           timestamptz,
  primary key (tenant_id, id)
);

create index jobs_running on jobs (seq) where state = 'RUNNING';
create unique index jobs_by_id on jobs (id);

create sequence finish_seq;

-- One row per future.
create table tasks (
  tenant_id        text not null,
  job_id           uuid not null,
  idx              int not null,
  job_seq          bigint not null,
  chunk            int not null,
  state            text not null check (state in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
  attempt          int not null default 0,
  input            bytea,
  input_key        text,
  result_key       text,
  error_type       text,
  error_message    text,
  function_error   boolean,
  lease_owner      text,
  lease_expires_at timestamptz,
  not_before       timestamptz,
  started_at       timestamptz,
  finished_at      timestamptz,
  finish_seq       bigint,
  duration_ms      int,
  cold_start       boolean,
  primary key (job_id, idx)
);

create index tasks_runnable on tasks (job_seq, chunk, idx) where state = 'PENDING';
create index tasks_leased on tasks (lease_expires_at) where state = 'RUNNING';
create index tasks_finished on tasks (job_id, finish_seq) where finish_seq is not null;
create index tasks_open on tasks (job_id) where state in ('PENDING', 'RUNNING');
