-- What a serverless platform reported about the invocation that ran each task (Lambda's REPORT
-- line): billed duration and memory. cold_start already exists; for platform backends it means
-- the platform started a new instance.
alter table tasks add column billed_ms int;
alter table tasks add column memory_used_mb int;
alter table tasks add column memory_size_mb int;
