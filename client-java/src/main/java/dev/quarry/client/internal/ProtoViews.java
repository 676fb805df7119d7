package dev.quarry.client.internal;

import dev.quarry.client.JobInfo;
import dev.quarry.proto.v1.Job;
import java.time.Instant;

/** Converts API messages to the client's value types. */
public final class ProtoViews {
  private ProtoViews() {}

  /** The {@link JobInfo} of a {@link Job} message. */
  public static JobInfo job(Job j) {
    return new JobInfo(
        j.getId(),
        j.getFunctionId(),
        j.getFunctionName(),
        state(j.getState()),
        j.getTotal(),
        j.getPending(),
        j.getRunning(),
        j.getSucceeded(),
        j.getFailed(),
        j.getCancelled(),
        j.getChunkSize(),
        Instant.ofEpochMilli(j.getCreatedAtMs()),
        j.getFinishedAtMs() == 0 ? null : Instant.ofEpochMilli(j.getFinishedAtMs()),
        j.getLabel(),
        j.getMessage());
  }

  static JobInfo.State state(dev.quarry.proto.v1.JobState s) {
    return switch (s) {
      case JOB_STATE_RUNNING -> JobInfo.State.RUNNING;
      case JOB_STATE_SUCCEEDED -> JobInfo.State.SUCCEEDED;
      case JOB_STATE_FAILED -> JobInfo.State.FAILED;
      case JOB_STATE_CANCELLED -> JobInfo.State.CANCELLED;
      default -> JobInfo.State.UNKNOWN;
    };
  }
}
