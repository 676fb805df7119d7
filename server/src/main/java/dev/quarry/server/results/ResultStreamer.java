package dev.quarry.server.results;

import dev.quarry.proto.v1.ResultOrder;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobSignals;
import dev.quarry.server.jobs.RecentSubmits;
import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.jobs.TaskStore.FinishedTask;
import dev.quarry.storage.ObjectStore;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Streams a job's finished futures until the job ends, one page at a time, so memory stays bounded
 * whatever the job's size. Completion order follows the finish sequence; a final sweep catches
 * futures whose sequence committed out of order. Input order waits for each next index.
 */
@Service
public class ResultStreamer {
  private static final int PAGE = 256;
  private static final Duration WAIT = Duration.ofSeconds(1);

  private final TaskStore jobs;
  private final JobSignals signals;
  private final ResultReader reader;
  private final RecentSubmits recent;

  public ResultStreamer(
      TaskStore jobs, JobSignals signals, ResultReader reader, RecentSubmits recent) {
    this.jobs = jobs;
    this.signals = signals;
    this.reader = reader;
    this.recent = recent;
  }

  /**
   * @throws ApiException NOT_FOUND if the job is not the caller's
   */
  public JobRecord open(Principal caller, UUID job) {
    caller.require(Role.VIEWER);
    return jobs.findWithoutCounts(caller.tenantId(), job)
        .orElseThrow(() -> ApiException.notFound(ErrorReason.JOB_NOT_FOUND, job.toString()));
  }

  /**
   * Like {@link #open}, for {@link #stream}, which reads only what does not change while a job runs
   * (id, inputs count, profile, codec): a job this replica has just created is not read back.
   *
   * @throws ApiException NOT_FOUND if the job is not the caller's
   */
  public JobRecord openForStream(Principal caller, UUID job) {
    caller.require(Role.VIEWER);
    JobRecord created = recent.get(job);
    if (created != null && created.tenantId().equals(caller.tenantId())) {
      return created;
    }
    return open(caller, job);
  }

  /**
   * A finished task's remote error (type, message, stack trace), read from storage; the task's
   * columns when storage has none. For the dashboard's failed-future view.
   */
  public dev.quarry.proto.v1.RemoteError error(
      JobRecord job, dev.quarry.server.jobs.TaskStore.FinishedTask row) {
    return reader.toResult(reader.storeOf(job), job.id(), row).getError();
  }

  public void stream(JobRecord job, ResultOrder order, long afterSeq, ResultSink sink)
      throws InterruptedException {
    long version = signals.version(job.id());
    try {
      // resolved once per stream: the job's profile may keep its objects in its own bucket
      ObjectStore store = reader.storeOf(job);
      if (order == ResultOrder.RESULT_ORDER_INPUT) {
        inputOrder(store, job, sink, version);
      } else {
        completionOrder(store, job, afterSeq, sink, version);
      }
    } finally {
      signals.release(job.id());
    }
  }

  private void completionOrder(
      ObjectStore store, JobRecord job, long afterSeq, ResultSink sink, long version)
      throws InterruptedException {
    BitSet sent = new BitSet(job.total());
    long cursor = afterSeq;
    while (!sink.closed()) {
      List<FinishedTask> page = jobs.finishedAfter(job.id(), cursor, PAGE);
      for (FinishedTask row : page) {
        cursor = Math.max(cursor, row.seq());
        if (!sent.get(row.index())) {
          sent.set(row.index());
          sink.send(reader.toResult(store, job.id(), row));
        }
      }
      if (page.size() == PAGE) {
        continue;
      }
      if (sent.cardinality() == job.total()) {
        // every future was sent: a task has a finish sequence only once it ended, and the job's
        // end commits with its last outcome (or its cancel), so it has ended too; nothing to sweep
        return;
      }
      // No task of the job has finished (from the start): it has not ended either, as a job ends
      // with its last task (cancel finishes them all); no need to ask. Whatever ends it signals.
      boolean noneFinished = cursor == 0 && page.isEmpty();
      if (!noneFinished && terminal(job.id())) {
        sweep(store, job, afterSeq, sent, sink);
        return;
      }
      sink.flush();
      version = signals.await(job.id(), version, WAIT);
    }
  }

  private void sweep(ObjectStore store, JobRecord job, long afterSeq, BitSet sent, ResultSink sink)
      throws InterruptedException {
    long cursor = afterSeq;
    List<FinishedTask> page;
    do {
      page = jobs.finishedAfter(job.id(), cursor, PAGE);
      for (FinishedTask row : page) {
        cursor = Math.max(cursor, row.seq());
        if (!sent.get(row.index())) {
          sent.set(row.index());
          sink.send(reader.toResult(store, job.id(), row));
        }
      }
    } while (page.size() == PAGE && !sink.closed());
  }

  private void inputOrder(ObjectStore store, JobRecord job, ResultSink sink, long version)
      throws InterruptedException {
    int next = 0;
    while (next < job.total() && !sink.closed()) {
      List<FinishedTask> page = jobs.finishedFrom(job.id(), next, PAGE);
      for (FinishedTask row : page) {
        if (row.index() != next) {
          break;
        }
        sink.send(reader.toResult(store, job.id(), row));
        next++;
      }
      if (next >= job.total()) {
        break;
      }
      boolean progressed = !page.isEmpty() && page.get(0).index() < next;
      if (!progressed || page.size() < PAGE) {
        sink.flush();
        version = signals.await(job.id(), version, WAIT);
      }
    }
    // The recorder commits a job's end with its last outcomes; still, like completion order, the
    // stream ends only once the job has, so a caller that reads every result and then the job
    // sees it finished whichever writer ended it.
    while (!sink.closed() && !terminal(job.id())) {
      sink.flush();
      version = signals.await(job.id(), version, WAIT);
    }
  }

  /**
   * Every result was sent; the job's state is written just after its last result, so wait for it: a
   * caller that reads the job when the stream ends sees it finished.
   */
  private void awaitEnd(JobRecord job, ResultSink sink, long version) throws InterruptedException {
    while (!sink.closed() && !terminal(job.id())) {
      sink.flush();
      version = signals.await(job.id(), version, WAIT);
    }
  }

  private boolean terminal(UUID job) {
    return jobs.state(job).map(s -> s.terminal()).orElse(true);
  }
}
