package dev.quarry.server.results;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.TaskResult;
import dev.quarry.proto.v1.TaskState;
import dev.quarry.storage.ObjectStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Pages of finished tasks, turned into {@link TaskResult}s with their bytes from storage. */
@Component
class ResultRows {
  private static final String COLUMNS =
      "select idx, state, attempt, result_key, error_type, error_message, function_error,"
          + " finish_seq, duration_ms, cold_start, billed_ms, memory_used_mb, memory_size_mb"
          + " from tasks where job_id = ?";

  private final JdbcClient jdbc;
  private final ObjectStore store;

  ResultRows(JdbcClient jdbc, ObjectStore store) {
    this.jdbc = jdbc;
    this.store = store;
  }

  record Row(
      int index, String state, int attempt, String resultKey, String errorType,
      String errorMessage, boolean functionError, long seq, int durationMs, boolean cold,
      int billedMs, int memoryUsedMb, int memorySizeMb) {}

  List<Row> afterSeq(UUID job, long seq, int limit) {
    return jdbc.sql(COLUMNS + " and finish_seq > ? order by finish_seq limit ?")
        .params(job, seq, limit)
        .query(ResultRows::map)
        .list();
  }

  List<Row> fromIndex(UUID job, int index, int limit) {
    return jdbc.sql(COLUMNS + " and idx >= ? and finish_seq is not null order by idx limit ?")
        .params(job, index, limit)
        .query(ResultRows::map)
        .list();
  }

  TaskResult toResult(UUID job, Row row) {
    TaskResult.Builder r =
        TaskResult.newBuilder()
            .setTaskId(job + ":" + row.index())
            .setIndex(row.index())
            .setState(TaskState.valueOf("TASK_STATE_" + row.state()))
            .setSeq(row.seq())
            .setAttempts(row.attempt())
            .setDurationMs(row.durationMs())
            .setColdStart(row.cold())
            .setBilledDurationMs(row.billedMs())
            .setMemoryUsedMb(row.memoryUsedMb())
            .setMemorySizeMb(row.memorySizeMb());
    if (row.state().equals("SUCCEEDED")) {
      r.setData(ByteString.copyFrom(read(row.resultKey()).orElse(new byte[0])));
    } else {
      r.setError(error(row));
    }
    return r.build();
  }

  private RemoteError error(Row row) {
    if (row.resultKey() != null) {
      Optional<byte[]> stored = read(row.resultKey());
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

  private Optional<byte[]> read(String key) {
    return key == null ? Optional.empty() : store.read(key);
  }

  private static Row map(ResultSet rs, int n) throws SQLException {
    return new Row(
        rs.getInt("idx"), rs.getString("state"), rs.getInt("attempt"), rs.getString("result_key"),
        rs.getString("error_type"), rs.getString("error_message"),
        rs.getBoolean("function_error"), rs.getLong("finish_seq"), rs.getInt("duration_ms"),
        rs.getBoolean("cold_start"), rs.getInt("billed_ms"), rs.getInt("memory_used_mb"),
        rs.getInt("memory_size_mb"));
  }
}
