-- The Storage API's index: one row per visible object of a tenant's bucket. The bytes live in the
-- object store under tenants/<tenant>/storage/<bucket>/<blob_id>; a put writes a new blob, then
-- swaps the row, so readers never see a half-written object and keys are free of store rules.
create table storage_objects (
  tenant_id  text not null references tenants (id),
  bucket     text not null,
  object_key text collate "C" not null,
  size       bigint not null,
  etag       text not null,
  blob_id    uuid not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, bucket, object_key)
);

-- Bytes reserved by puts in progress, counted against the quota until they finish (or go stale).
create table storage_uploads (
  id         uuid primary key,
  tenant_id  text not null references tenants (id),
  size       bigint not null,
  started_at timestamptz not null default now()
);
create index storage_uploads_tenant on storage_uploads (tenant_id);

-- The operator's per-tenant overrides of the Storage API quota (null = the server default).
alter table tenant_limits add column max_storage_mib int;
alter table tenant_limits add column max_storage_objects int;
