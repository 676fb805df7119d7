package dev.quarry.server.jobs.internal;

import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore.TaskRow;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;

/** Inserts all tasks of a job with one {@code COPY}: a constant number of round trips. */
final class TaskCopy {
  private static final HexFormat HEX = HexFormat.of();

  private TaskCopy() {}

  static void copy(
      Connection connection,
      String tenant,
      UUID job,
      long jobSeq,
      int chunkSize,
      List<TaskRow> rows)
      throws SQLException {
    StringBuilder text = new StringBuilder(rows.size() * 64);
    for (TaskRow row : rows) {
      text.append(tenant).append('\t').append(job).append('\t').append(row.index()).append('\t');
      text.append(jobSeq)
          .append('\t')
          .append(row.index() / chunkSize)
          .append('\t')
          .append(TaskState.PENDING.name())
          .append('\t');
      if (row.inline() != null) {
        text.append("\\\\x").append(HEX.formatHex(row.inline()));
      } else {
        text.append("\\N");
      }
      text.append('\t').append(row.inputKey() == null ? "\\N" : row.inputKey()).append('\n');
    }
    try (Reader reader = new StringReader(text.toString())) {
      connection
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "copy tasks (tenant_id, job_id, idx, job_seq, chunk, state, input, input_key)"
                  + " from stdin",
              reader);
    } catch (IOException e) {
      throw new SQLException("COPY of tasks failed", e);
    }
  }
}
