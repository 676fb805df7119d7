package dev.quarry.worker.local;

import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.worker.TaskRunner;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker JVM started by the local process backend. Protocol, all messages length-delimited
 * protobuf: on start the worker writes an {@link InvocationSummary} with invocation id {@value
 * #READY}; then it reads {@link TaskEnvelope}s from stdin and answers one summary per envelope, in
 * order. End of stdin makes it exit with status 0; a fatal error exits non-zero.
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
    int status = 0;
    try (TaskRunner runner = TaskRunner.create(workerId)) {
      serve(protocolIn, protocolOut, runner, workerId);
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
      throws IOException {
    write(InvocationSummary.newBuilder().setInvocationId(READY).setWorkerId(workerId).build(), out);
    TaskEnvelope envelope;
    while ((envelope = TaskEnvelope.parseDelimitedFrom(in)) != null) {
      write(runner.run(envelope), out);
    }
  }

  private static void write(InvocationSummary summary, OutputStream out) throws IOException {
    summary.writeDelimitedTo(out);
    out.flush();
  }
}
