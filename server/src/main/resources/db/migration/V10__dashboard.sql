-- The dashboard's jobs list: a tenant's newest jobs first, paged by seq (keyset), stays an index
-- scan with 100,000 jobs.
create index jobs_by_tenant_seq on jobs (tenant_id, seq desc);
