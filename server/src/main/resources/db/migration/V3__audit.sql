-- Who (key) did what and when, readable by the tenant's admins.
create table audit_events (
  id        bigserial primary key,
  tenant_id text not null references tenants (id),
  key_id    uuid,
  actor     text not null,
  action    text not null,
  target    text not null default '',
  at        timestamptz not null default now()
);

create index audit_events_by_tenant on audit_events (tenant_id, id desc);
