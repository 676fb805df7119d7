-- Per-invocation tokens with which a Lambda worker's context function reaches its tenant's Storage
-- API (issue 13, ADR 0024). Only the SHA-256 of a token is kept; a row lives from the invocation's
-- start until it ends (revoked: deleted) or expires (deadline + grace; expired rows are swept).
create table function_storage_tokens (
  token_hash    bytea primary key,
  id            uuid not null unique,
  tenant_id     text not null references tenants (id),
  invocation_id text not null,
  expires_at    timestamptz not null,
  created_at    timestamptz not null default now()
);

create index function_storage_tokens_invocation on function_storage_tokens (invocation_id);
create index function_storage_tokens_expiry on function_storage_tokens (expires_at);
