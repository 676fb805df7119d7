package dev.quarry.server.jobs;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/** Inserts all tasks of a job with one {@code COPY}: a constant number of round trips. */
final class TaskCopy {
  private static final HexFormat HEX = HexFormat.of();

  private TaskCopy() {}

  /** One task row: inline input bytes, or a storage key for large inputs. */
  record Row(int index, byte @Nullable [] inline, @Nullable String inputKey) {}

  static void copy(
      Connection connection, String tenant, UUID job, long jobSeq, int chunkSize, List<Row> rows)
      throws SQLException {
    StringBuilder text = new StringBuilder(rows.size() * 64);
    for (Row row : rows) {
      text.append(tenant).append('\t').append(job).append('\t').append(row.index()).append('\t');
      text.append(jobSeq).append('\t').append(row.index() / chunkSize).append("\tPENDING\t");
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
