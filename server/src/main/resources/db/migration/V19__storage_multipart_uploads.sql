-- Multipart uploads of the Storage API: an upload reserves its declared size in storage_uploads
-- (same id) until it completes, is aborted or goes stale; each part is a blob of its own under
-- tenants/<tenant>/storage/<bucket>/<blob_id> until the complete call composes them, or, when the
-- upload is staged, a range of the one blob named by the upload's id, which becomes the object.
create table storage_multipart_uploads (
  id         uuid primary key,
  tenant_id  text not null references tenants (id),
  bucket     text not null,
  object_key text collate "C" not null,
  size       bigint not null,
  -- the fixed size of every part but the last, if the start named one
  part_size  bigint,
  -- true: the parts are written in place into the blob named by the upload's id (stores that can)
  staged     boolean not null default false,
  -- 'open' takes parts; 'completing' while the parts are composed into the object
  state      text not null default 'open',
  started_at timestamptz not null
);
create index storage_multipart_uploads_tenant on storage_multipart_uploads (tenant_id);
create index storage_multipart_uploads_started on storage_multipart_uploads (started_at);

create table storage_upload_parts (
  upload_id   uuid not null references storage_multipart_uploads (id) on delete cascade,
  part_number int not null,
  size        bigint not null,
  md5         bytea not null,
  blob_id     uuid not null,
  -- a staged part being written (its bytes are not all there yet)
  pending     boolean not null default false,
  primary key (upload_id, part_number)
);
