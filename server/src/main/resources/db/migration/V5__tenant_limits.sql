-- Per-tenant overrides of the server's default limits (null = the default).
create table tenant_limits (
  tenant_id                  text primary key references tenants (id),
  max_concurrent_invocations int,
  max_inputs_per_job         int,
  max_input_bytes            int,
  max_request_bytes          int,
  max_jobs_in_flight         int,
  requests_per_second        int,
  updated_at                 timestamptz not null default now()
);
