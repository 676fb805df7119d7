package dev.quarry.server.results;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.TaskResult;
import dev.quarry.proto.v1.TaskState;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.TaskId;
import dev.quarry.server.jobs.TaskStore.FinishedTask;
import dev.quarry.server.storage.ProfileStores;
import dev.quarry.storage.ObjectStore;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Turns finished tasks into {@link TaskResult}s with their bytes from storage. */
@Component
class ResultReader {
  private final ProfileStores stores;

  ResultReader(ProfileStores stores) {
    this.stores = stores;
  }

  /** The store holding the objects of {@code job}: its profile's bucket, or the server's. */
  ObjectStore storeOf(JobRecord job) {
    return stores.forProfile(job.tenantId(), job.profile()).store();
  }

  /**
   * @param store the job's store ({@link #storeOf})
   */
  TaskResult toResult(ObjectStore store, UUID job, FinishedTask row) {
    TaskResult.Builder r =
        TaskResult.newBuilder()
            .setTaskId(new TaskId(job, row.index()).toString())
            .setIndex(row.index())
            .setState(TaskState.valueOf("TASK_STATE_" + row.state().name()))
            .setSeq(row.seq())
            .setAttempts(row.attempt())
            .setDurationMs(row.durationMs())
            .setColdStart(row.coldStart())
            .setBilledDurationMs(row.billedMs())
            .setMemoryUsedMb(row.memoryUsedMb())
            .setMemorySizeMb(row.memorySizeMb());
    if (row.startedAt() != null) {
      r.setStartedAtMs(row.startedAt().toEpochMilli());
    }
    if (row.finishedAt() != null) {
      r.setFinishedAtMs(row.finishedAt().toEpochMilli());
    }
    if (row.worker() != null) {
      r.setWorkerId(row.worker());
    }
    if (row.state() == dev.quarry.server.jobs.TaskState.SUCCEEDED) {
      r.setData(ByteString.copyFrom(read(store, row.resultKey()).orElse(new byte[0])));
    } else {
      r.setError(error(store, row));
    }
    return r.build();
  }

  private static RemoteError error(ObjectStore store, FinishedTask row) {
    if (row.resultKey() != null) {
      Optional<byte[]> stored = read(store, row.resultKey());
      if (stored.isPresent()) {
        try {
          return RemoteError.parseFrom(stored.get());
        } catch (InvalidProtocolBufferException e) {
          // fall back to the columns
        }
      }
    }
    return RemoteError.newBuilder()
        .setType(row.errorType() == null ? "dev.quarry.Unknown" : row.errorType())
        .setMessage(row.errorMessage() == null ? "" : row.errorMessage())
        .setFunctionError(row.functionError())
        .build();
  }

  private static Optional<byte[]> read(ObjectStore store, @Nullable String key) {
    return key == null ? Optional.empty() : store.read(key);
  }
}
