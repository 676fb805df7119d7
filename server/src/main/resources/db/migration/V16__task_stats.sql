-- Per-future statistics (ADR 0026): what the worker measured while the latest recorded attempt
-- ran (CPU time of the function's thread, the JVM's peak heap, bytes of input, result and context
-- storage traffic), and when the future last became runnable (null: when its job was submitted),
-- so queue time = started_at - coalesce(queued_at, jobs.created_at).
alter table tasks add column cpu_ms bigint;
alter table tasks add column peak_memory_bytes bigint;
alter table tasks add column bytes_read bigint;
alter table tasks add column bytes_written bigint;
alter table tasks add column queued_at timestamptz;
