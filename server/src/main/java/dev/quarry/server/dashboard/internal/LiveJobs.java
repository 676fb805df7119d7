package dev.quarry.server.dashboard.internal;

import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobSignals;
import dev.quarry.server.jobs.TaskStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live updates of open job pages. However many pages watch a job, one ticker thread reads the
 * job once per change (a {@link JobSignals} wake-up, looked at every {@link #TICK}) but at most
 * once per {@link #MIN_PUSH_INTERVAL}, or every {@link #IDLE_REFRESH} while nothing changes, and
 * sends the same {@link Progress} to every page; when the job ends its pages get the last event (at
 * most {@code MIN_PUSH_INTERVAL} late) and their streams close. The database sees one read per job
 * and interval, not one per open page; a page gets at most one event per interval. The charts' data
 * ({@link ChartData}, shared) goes with the stream's first event, every {@link #CHARTS_INTERVAL}
 * while the job runs and with its last event, so a page never asks for it. With the last event also
 * goes the first page of the job's futures table, rendered once ({@link FuturesTable}) for all its
 * pages instead of each page asking for it then.
 */
@Component
class LiveJobs implements DisposableBean {
  static final Duration TICK = Duration.ofMillis(250);
  static final Duration MIN_PUSH_INTERVAL = Duration.ofSeconds(1);
  static final Duration IDLE_REFRESH = Duration.ofSeconds(2);

  /** How often the pages of a running job get its charts' data ({@link ChartData}). */
  static final Duration CHARTS_INTERVAL = Duration.ofSeconds(2);

  static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);
  private static final Logger log = LoggerFactory.getLogger(LiveJobs.class);

  private final TaskStore store;
  private final JobSignals signals;
  private final Clock clock;
  private final JsonMapper json;
  private final ChartData charts;
  private final FuturesTable futures;

  /** The ended jobs' {@code futures} events, made once a second for all streams that open then. */
  private final SharedReads<Ended, byte[]> endedTables =
      new SharedReads<>(FuturesTable.MAX_AGE, 64, System::nanoTime);

  private final Map<UUID, Watch> watches = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("dashboard-live").unstarted(r));

  LiveJobs(
      TaskStore store,
      JobSignals signals,
      Clock clock,
      JsonMapper json,
      ChartData charts,
      FuturesTable futures) {
    this.store = store;
    this.charts = charts;
    this.futures = futures;
    this.json = json;
    this.signals = signals;
    this.clock = clock;
    ticker.scheduleWithFixedDelay(this::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Opens a stream for a job the caller may see (checked by the caller of this method). */
  SseEmitter open(JobRecord job) {
    SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
    Progress now = Progress.of(job, clock.instant());
    byte[] chartsNow = charts(job); // the page draws these instead of asking for them
    // a page that loaded while the job ran and opens its stream after the job ended gets the
    // ended job's futures as the pages that watched it end do
    byte[] tableNow = now.terminal() ? futuresTable(job) : null;
    if ((chartsNow != null && !send(emitter, "charts", chartsNow))
        || (tableNow != null && !send(emitter, "futures", tableNow))
        || !send(emitter, "progress", json.writeValueAsBytes(now))
        || now.terminal()) {
      complete(emitter);
      return emitter;
    }
    Watch watch;
    synchronized (watches) {
      watch =
          watches.computeIfAbsent(
              job.id(), id -> new Watch(job.tenantId(), id, signals.version(id)));
      watch.emitters.add(emitter);
    }
    Runnable leave = () -> leave(watch, emitter);
    emitter.onCompletion(leave);
    emitter.onTimeout(leave);
    emitter.onError(e -> leave.run());
    return emitter;
  }

  /** How many pages watch a job now, over all jobs (for tests and metrics). */
  int open() {
    return watches.values().stream().mapToInt(w -> w.emitters.size()).sum();
  }

  private void leave(Watch watch, SseEmitter emitter) {
    synchronized (watches) {
      if (watch.emitters.remove(emitter) && watch.emitters.isEmpty()) {
        watches.remove(watch.job, watch);
        signals.release(watch.job);
      }
    }
  }

  private void tickSafely() {
    long nowNanos = System.nanoTime();
    for (Watch w : List.copyOf(watches.values())) {
      try {
        tick(w, nowNanos);
      } catch (RuntimeException e) {
        log.warn("dashboard live update of job {} failed; the next tick retries", w.job, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void tick(Watch w, long nowNanos) throws InterruptedException {
    long sinceRead = nowNanos - w.readAt;
    if (sinceRead < MIN_PUSH_INTERVAL.toNanos()) {
      return; // a change now is pushed with the next read, at most one interval late
    }
    long version = signals.await(w.job, w.version, Duration.ZERO);
    if (version == w.version && sinceRead < IDLE_REFRESH.toNanos()) {
      return;
    }
    w.version = version;
    w.readAt = nowNanos;
    JobRecord job = store.find(w.tenant, w.job).orElse(null);
    Progress p = job == null ? null : Progress.of(job, clock.instant());
    byte[] data = p == null ? new byte[0] : json.writeValueAsBytes(p); // once for all its pages
    byte[] charts = null;
    if (p != null && (p.terminal() || nowNanos - w.chartsAt >= CHARTS_INTERVAL.toNanos())) {
      w.chartsAt = nowNanos;
      charts = charts(job); // once for all its pages, the last time with every run
    }
    byte[] table = p != null && p.terminal() ? futuresTable(job) : null; // once for all its pages
    for (SseEmitter e : w.emitters) {
      if (charts != null) {
        send(e, "charts", charts); // before the progress: a page stops at the last progress
      }
      if (table != null) {
        send(e, "futures", table);
      }
      if (p == null || !send(e, "progress", data)) {
        leave(w, e); // the page went away (or the job did): nothing more to send
        complete(e);
      } else if (p.terminal()) {
        complete(e);
      }
    }
  }

  /** The job's charts' data for its pages, or null when it cannot be read now. */
  private byte @Nullable [] charts(JobRecord job) {
    try {
      return charts.json(job);
    } catch (RuntimeException e) {
      log.warn("charts of job {} for its live pages failed; progress goes on", job.id(), e);
      return null;
    }
  }

  /**
   * The first page of the ended job's futures table as {@code {"html": "..."}} (JSON: the stream's
   * framing stays intact whatever the futures' texts hold), or null when it cannot be had now: each
   * page then loads the table itself.
   */
  private byte @Nullable [] futuresTable(JobRecord job) {
    try {
      return endedTables.get(
          new Ended(job.tenantId(), job.id()),
          () -> json.writeValueAsBytes(Map.of("html", futures.html(job, 0, false))));
    } catch (RuntimeException e) {
      log.warn("futures of job {} for its live pages failed; each page loads them", job.id(), e);
      return null;
    }
  }

  /** An ended job (its access was checked before its event is asked for). */
  private record Ended(String tenant, UUID job) {}

  private static void complete(SseEmitter emitter) {
    try {
      emitter.complete();
    } catch (RuntimeException e) {
      // already completed or the connection broke: the container cleans up
    }
  }

  /** Sends an event whose data is JSON already, as UTF-8 bytes (written as they are). */
  private static boolean send(SseEmitter emitter, String name, byte[] json) {
    try {
      emitter.send(SseEmitter.event().name(name).data(json));
      return true;
    } catch (IOException | IllegalStateException e) {
      return false;
    }
  }

  @Override
  public void destroy() {
    ticker.shutdownNow();
    watches.values().forEach(w -> w.emitters.forEach(LiveJobs::complete));
  }

  private static final class Watch {
    final String tenant;
    final UUID job;
    final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    volatile long version;
    volatile long readAt = System.nanoTime();
    volatile long chartsAt = System.nanoTime(); // the stream sent them when it opened

    Watch(String tenant, UUID job, long version) {
      this.tenant = tenant;
      this.job = job;
      this.version = version;
    }
  }
}
