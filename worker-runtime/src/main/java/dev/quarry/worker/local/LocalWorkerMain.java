package dev.quarry.worker.local;

import dev.quarry.proto.v1.FromWorker;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.ToWorker;
import dev.quarry.worker.TaskRunner;
import dev.quarry.worker.internal.ChannelObjectStore;
import dev.quarry.worker.internal.ChannelObjects;
import dev.quarry.worker.internal.StoragePipe;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker JVM started by the local process backend. Protocol, all messages length-delimited
 * protobuf: the backend writes {@link ToWorker} messages to stdin, the worker {@link FromWorker}
 * messages to stdout. On start the worker writes a summary with invocation id {@value #READY}; then
 * it answers one summary per envelope, in order. While it runs an envelope of storage type {@value
 * TaskRunner#CHANNEL_STORAGE} it reads and writes objects with {@link
 * dev.quarry.proto.v1.StorageCall}s that the backend answers (the worker holds no storage
 * credentials). End of stdin makes it exit with status 0; a fatal error exits non-zero.
 *
 * <p>stdout is reserved for the protocol: {@code System.out} is redirected to stderr (so user code
 * that prints cannot corrupt it) and {@code System.in} is emptied. Logs go to stderr.
 */
public final class LocalWorkerMain {
  /** Invocation id of the handshake message written when the worker is ready. */
  public static final String READY = "ready";

  private static final int BUFFER_SIZE = 64 * 1024;

  private LocalWorkerMain() {}

  public static void main(String[] args) {
    // before anything can log or print: later writes to System.out go to stderr
    OutputStream protocolOut =
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), BUFFER_SIZE);
    InputStream protocolIn =
        new BufferedInputStream(new FileInputStream(FileDescriptor.in), BUFFER_SIZE);
    System.setOut(System.err);
    System.setIn(InputStream.nullInputStream());

    Logger log = LoggerFactory.getLogger(LocalWorkerMain.class);
    String workerId = "local-" + ProcessHandle.current().pid();
    WorkerPipe pipe = new WorkerPipe(protocolIn, protocolOut);
    AtomicReference<String> running = new AtomicReference<>("");
    int status = 0;
    StoragePipe storage = new StoragePipe(pipe::call, running::get, () -> Long.MAX_VALUE);
    try (TaskRunner runner =
        new TaskRunner(
            workerId,
            TaskRunner.defaultJarCacheDir(),
            Clock.systemUTC(),
            new ChannelObjectStore(storage),
            new ChannelObjects(storage))) {
      serve(pipe, runner, workerId, running);
      log.debug("Worker {}: end of input, exiting", workerId);
    } catch (IOException e) {
      log.error("Worker {}: protocol stream failed", workerId, e);
      status = 2;
    } catch (Throwable e) {
      // e.g. OutOfMemoryError: the JVM may be unusable, do not run shutdown hooks
      e.printStackTrace();
      Runtime.getRuntime().halt(1);
    }
    System.exit(status);
  }

  /**
   * Writes the ready handshake, then answers every envelope read from {@code in} until its end.
   *
   * @throws IOException if reading or writing the protocol streams fails
   */
  static void serve(InputStream in, OutputStream out, TaskRunner runner, String workerId)
      throws IOException, InterruptedException {
    serve(new WorkerPipe(in, out), runner, workerId, new AtomicReference<>(""));
  }

  private static void serve(
      WorkerPipe pipe, TaskRunner runner, String workerId, AtomicReference<String> running)
      throws IOException, InterruptedException {
    pipe.start();
    write(
        pipe, InvocationSummary.newBuilder().setInvocationId(READY).setWorkerId(workerId).build());
    TaskEnvelope envelope;
    while ((envelope = pipe.nextEnvelope()) != null) {
      running.set(envelope.getInvocationId());
      InvocationSummary summary = runner.run(envelope);
      running.set("");
      write(pipe, summary);
    }
  }

  private static void write(WorkerPipe pipe, InvocationSummary summary) throws IOException {
    pipe.send(FromWorker.newBuilder().setSummary(summary).build());
  }
}
