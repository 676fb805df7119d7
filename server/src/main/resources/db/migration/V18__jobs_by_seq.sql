-- Every claim finds the jobs of the oldest claimable chunks by their sequence number (ClaimStatements:
-- "jobs where seq in (...)"). Without an index on seq that is a scan of every job ever submitted: about
-- 25 ms per claim once 100,000 jobs are kept, on every dispatch round. seq comes from job_seq, so it is
-- unique.
create unique index jobs_by_seq on jobs (seq);
