package dev.quarry.server.dashboard.internal;

import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.jobs.TaskStore.Span;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job's charts' data as JSON, read and serialized once per job and {@link #MAX_AGE} on this
 * replica and the same bytes given to every page: the ones that ask ({@code GET /jobs/{id}/charts},
 * after their access is checked) and the ones that follow the job live (an SSE event every {@link
 * LiveJobs#CHARTS_INTERVAL}). Callers check the caller's access to the job.
 */
@Component
class ChartData {
  /** At most this many futures go into the charts; bigger jobs are sampled evenly by index. */
  static final int MAX_SPANS = 5000;

  /** How long one read of a job's chart data serves every page that asks for it. */
  static final Duration MAX_AGE = Duration.ofSeconds(1);

  /** At most this many jobs' chart data is kept for sharing (about 100 KB each). */
  static final int KEPT = 64;

  private final TaskStore store;
  private final JsonMapper json;
  private final SharedReads<Key, byte[]> shared =
      new SharedReads<>(MAX_AGE, KEPT, System::nanoTime);

  ChartData(TaskStore store, JsonMapper json) {
    this.store = store;
    this.json = json;
  }

  /**
   * The {@link Charts} of {@code job} as JSON. Once the job has ended, data read while it ran is
   * not reused: the last load shows every run.
   */
  byte[] json(JobRecord job) {
    return shared.get(
        new Key(job.id(), job.state().terminal()), () -> json.writeValueAsBytes(read(job)));
  }

  private Charts read(JobRecord job) {
    int step = Math.max(1, (job.total() + MAX_SPANS - 1) / MAX_SPANS);
    List<Span> spans = store.spans(job.tenantId(), job.id(), step, MAX_SPANS);
    long t0 = job.createdAt().toEpochMilli();
    int n = spans.size();
    int[] index = new int[n];
    StringBuilder states = new StringBuilder(n);
    long[] start = new long[n];
    long[] end = new long[n];
    for (int i = 0; i < n; i++) {
      Span s = spans.get(i);
      index[i] = s.index();
      states.append(s.state().name().charAt(0));
      start[i] = s.startMs() - t0;
      end[i] = s.endMs() == 0 ? -1 : s.endMs() - t0;
    }
    return new Charts(job.total(), job.total() > MAX_SPANS, index, states.toString(), start, end);
  }

  private record Key(UUID job, boolean ended) {}

  /**
   * The charts' data as columns: input index, state, start and end (ms after the job was created,
   * end -1 while running); {@code sampled} when the job has more futures than shown. The states are
   * one letter per future, the first of its state's name ({@code P}ending, {@code R}unning, {@code
   * S}ucceeded, {@code F}ailed, {@code C}ancelled): every open page of a running job receives this
   * every few seconds, and the names took 40 % of its bytes.
   */
  record Charts(int total, boolean sampled, int[] index, String states, long[] start, long[] end) {}
}
