-- Team-shared cloud credentials, encrypted with AES-256-GCM under a master key from configuration
-- (key_id names it), bound to (tenant, name) as associated data. Never returned by any API.
create table credentials (
  tenant_id  text not null references tenants (id),
  name       text not null,
  kind       text not null check (kind in ('aws', 'azure', 'kubernetes')),
  key_id     text not null,
  sealed     bytea not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, name)
);

-- One encrypted known value per master key id: a wrong key fails at startup, not later.
create table master_key_canaries (
  key_id text primary key,
  sealed bytea not null
);

-- Named backend profiles (e.g. aws-prod = Lambda in eu-west-1 with credentials team-aws).
create table backend_profiles (
  tenant_id       text not null references tenants (id),
  name            text not null,
  backend         text not null,
  settings        jsonb not null default '{}',
  credential_name text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (tenant_id, name)
);

alter table jobs add column profile_name text;
