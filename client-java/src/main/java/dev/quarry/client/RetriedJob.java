package dev.quarry.client;

/**
 * What {@link QuarryJobs#retryFailed} did: the job after the call and how many of its failed
 * futures run again (0 when none had failed: the job is unchanged).
 */
public record RetriedJob(JobInfo job, int retried) {}
