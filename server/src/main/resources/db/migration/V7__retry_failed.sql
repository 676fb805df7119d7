-- retry-failed: a failed task runs again with a fresh set of attempts. Its attempt number keeps
-- counting up (it names the result object and guards late outcomes); attempt_base is the attempt
-- at which the retry started, so the retry policy counts attempt - attempt_base.
alter table tasks add column attempt_base int not null default 0;
