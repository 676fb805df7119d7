package dev.quarry.server.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards TCP connections from a free loopback port to a target port set later: a setting that
 * must name the server's address (e.g. {@code quarry.public-url}) can be given before the server
 * has picked its own port (port 0).
 */
final class LoopbackForwarder implements AutoCloseable {
  private final ServerSocket listener;
  private volatile int target;

  LoopbackForwarder() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("forwarder-accept").start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  void target(int port) {
    this.target = port;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket in = listener.accept();
        if (target == 0) {
          in.close();
          continue;
        }
        Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
        copy(in, out);
        copy(out, in);
      } catch (IOException e) {
        // closed, or the target refused: the caller sees a broken connection
      }
    }
  }

  private static void copy(Socket from, Socket to) {
    Thread.ofVirtual()
        .start(
            () -> {
              try (from;
                  to) {
                from.getInputStream().transferTo(to.getOutputStream());
              } catch (IOException e) {
                // one side closed
              }
            });
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
