-- Tokens that let a pull worker serve one profile of backend `standalone` (issue 11). Like API
-- keys: the secret is shown once, only its SHA-256 is kept, revocation is a timestamp.
create table worker_tokens (
  id           uuid primary key,
  tenant_id    text not null references tenants (id),
  profile_name text not null,
  prefix       text not null unique,
  secret_hash  bytea not null,
  name         text not null,
  created_by   uuid,
  created_at   timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

create index worker_tokens_tenant on worker_tokens (tenant_id, created_at);
