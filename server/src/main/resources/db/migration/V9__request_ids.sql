-- The id of the request that submitted a job, carried to its workers' log lines (README "Logs").
alter table jobs add column request_id text not null default '';
