package dev.quarry.backend.internal.local;

import dev.quarry.backend.local.LocalBackendOptions;
import dev.quarry.proto.v1.FromWorker;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.ToWorker;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker JVM and its three pipes: a writer thread sends envelopes, a reader thread reads the
 * handshake and summaries, a forwarder copies stderr to the log. {@link #inFlight}, {@link
 * #deadlineTimer} and {@link #tenant} belong to the backend and are guarded by its lock.
 */
final class WorkerProcess {
  static final String READY = "ready";

  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);
  private static final ToWorker CLOSE = ToWorker.getDefaultInstance();

  /** Events from the reader thread. */
  interface Listener {
    void onSummary(WorkerProcess worker, InvocationSummary summary);

    /** A storage call; called on the reader thread, which waits for it (so does the worker). */
    StorageReply onStorageCall(WorkerProcess worker, StorageCall call);

    /** The process ended (or its output became unreadable and it was killed). */
    void onExit(WorkerProcess worker, int exitCode);
  }

  final Deque<PendingInvocation> inFlight = new ArrayDeque<>();
  @Nullable ScheduledFuture<?> deadlineTimer;

  /** The only tenant whose invocations this worker runs, once it ran one (sandboxed pools). */
  @Nullable String tenant;

  /** Takes no new invocations: it is to be recycled for another tenant once idle. */
  boolean draining;

  private final Process process;
  private final String id;
  private final Listener listener;
  private final StderrForwarder stderr;
  private final int slot;
  private final BlockingQueue<ToWorker> outbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Thread stderrPump;
  private final Thread reader;
  private final Thread writer;
  private volatile @Nullable String killReason;
  private volatile List<ProcessHandle> sandboxed = List.of();

  private WorkerProcess(Process process, int slot, Listener listener) {
    this.process = process;
    this.slot = slot;
    this.id = "local-" + process.pid();
    this.listener = listener;
    this.stderr = new StderrForwarder(process.getErrorStream(), id);
    this.stderrPump = Thread.ofPlatform().daemon().name(id + "-stderr").start(stderr);
    this.writer = Thread.ofVirtual().name(id + "-writer").start(this::writeLoop);
    this.reader = Thread.ofPlatform().daemon().name(id + "-reader").start(this::readLoop);
    // the process is bubblewrap when sandboxed: if it dies, the JVM it started must die too
    process.onExit().thenRun(this::killSandboxed);
  }

  /**
   * Launches a worker JVM; call {@link #awaitReady} before sending to it.
   *
   * @throws IOException if the process cannot be started
   */
  static WorkerProcess launch(LocalBackendOptions options, int slot, Listener listener)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(WorkerCommand.command(options, slot));
    // nothing of the server's environment (secrets, database passwords) reaches tenant code
    builder.environment().clear();
    builder.environment().putAll(WorkerCommand.environment(options));
    return new WorkerProcess(builder.start(), slot, listener);
  }

  /** The pool slot this worker holds (its user id in the sandbox when the server is root). */
  int slot() {
    return slot;
  }

  String id() {
    return id;
  }

  long pid() {
    return process.pid();
  }

  /**
   * Waits for the handshake.
   *
   * @throws IOException if the worker exits first, answers something else or does not answer in
   *     time; the worker is killed
   */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      kill("not ready after " + timeout);
      throw new IOException(
          "worker " + pid() + " was not ready within " + timeout + stderrTail(), e);
    } catch (java.util.concurrent.ExecutionException e) {
      kill("failed to start");
      stderrPump.join(Duration.ofMillis(500)); // let it collect the last lines for the message
      throw new IOException(e.getCause().getMessage() + stderrTail(), e.getCause());
    }
  }

  /** Queues an envelope for the writer thread; never blocks. */
  void send(TaskEnvelope envelope) {
    outbox.add(ToWorker.newBuilder().setEnvelope(envelope).build());
  }

  /** Closes stdin after the envelopes already sent; the worker finishes them and exits. */
  void closeInput() {
    outbox.add(CLOSE);
  }

  /** Kills the process; the reader thread then reports the exit. */
  void kill(String reason) {
    if (killReason == null) {
      killReason = reason;
    }
    killSandboxed();
    process.destroyForcibly();
  }

  private void killSandboxed() {
    sandboxed.forEach(ProcessHandle::destroyForcibly);
    process.descendants().forEach(ProcessHandle::destroyForcibly);
  }

  @Nullable String killReason() {
    return killReason;
  }

  /** Waits until the process ended and its exit was reported. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        && reader.join(Duration.ofSeconds(5));
  }

  private void readLoop() {
    try (InputStream in = new BufferedInputStream(process.getInputStream(), 64 * 1024)) {
      FromWorker handshake = FromWorker.parseDelimitedFrom(in);
      if (handshake == null || !READY.equals(handshake.getSummary().getInvocationId())) {
        throw new IOException("worker " + pid() + " did not send the ready handshake");
      }
      sandboxed = process.descendants().toList();
      ready.complete(null);
      FromWorker message;
      while ((message = FromWorker.parseDelimitedFrom(in)) != null) {
        switch (message.getMessageCase()) {
          case SUMMARY -> listener.onSummary(this, message.getSummary());
          case CALL ->
              outbox.add(
                  ToWorker.newBuilder()
                      .setReply(listener.onStorageCall(this, message.getCall()))
                      .build());
          default -> throw new IOException("unexpected message " + message.getMessageCase());
        }
      }
    } catch (IOException | RuntimeException e) {
      if (process.isAlive()) {
        log.warn("Worker {}: unreadable output, killing it: {}", id, e.toString());
        kill("unreadable output: " + e.getMessage());
      }
    }
    int exitCode = waitForExit();
    ready.completeExceptionally(
        new IOException(
            "worker " + pid() + " exited with code " + exitCode + " before it was ready"));
    writer.interrupt();
    listener.onExit(this, exitCode);
  }

  private int waitForExit() {
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        kill("closed its output but did not exit");
      }
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return -1;
    }
  }

  private void writeLoop() {
    try (OutputStream out = new BufferedOutputStream(process.getOutputStream(), 64 * 1024)) {
      while (true) {
        ToWorker message = outbox.take();
        if (message == CLOSE) {
          return;
        }
        message.writeDelimitedTo(out);
        if (outbox.isEmpty()) {
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      // the process exited
    } catch (IOException e) {
      if (process.isAlive()) {
        log.warn("Worker {}: writing to its stdin failed, killing it: {}", id, e.toString());
        kill("stdin write failed: " + e.getMessage());
      }
    }
  }

  private String stderrTail() {
    List<String> lines = stderr.recentLines();
    return lines.isEmpty() ? "" : "; its last stderr lines:\n" + String.join("\n", lines);
  }
}
