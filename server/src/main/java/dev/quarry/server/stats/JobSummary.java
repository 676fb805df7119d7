package dev.quarry.server.stats;

import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.JobTotals;
import java.util.UUID;

/**
 * A job's summary: its state, the totals and distributions over its futures, and what it cost.
 *
 * @param backend the backend kind its profile (or the server's default) runs on
 */
public record JobSummary(UUID jobId, JobState state, String backend, JobTotals totals, Cost cost) {}
