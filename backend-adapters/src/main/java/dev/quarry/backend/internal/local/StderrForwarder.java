package dev.quarry.backend.internal.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a worker's stderr to the server log, line by line, so the pipe never fills. Keeps the last
 * lines to explain a worker that fails to start.
 */
final class StderrForwarder implements Runnable {
  private static final Logger log = LoggerFactory.getLogger("dev.quarry.backend.local.worker");
  private static final int MAX_LINE = 8 * 1024;
  private static final int RECENT_LINES = 20;

  private final InputStream stderr;
  private final String workerId;
  private final Deque<String> recent = new ArrayDeque<>();

  StderrForwarder(InputStream stderr, String workerId) {
    this.stderr = stderr;
    this.workerId = workerId;
  }

  @Override
  public void run() {
    try (Reader reader =
        new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = reader.read()) >= 0) {
        if (c == '\n' || line.length() >= MAX_LINE) {
          emit(line.toString());
          line.setLength(0);
          if (c == '\n') {
            continue;
          }
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      if (!line.isEmpty()) {
        emit(line.toString());
      }
    } catch (IOException e) {
      log.debug("[{}] stderr closed: {}", workerId, e.toString());
    }
  }

  /** The last lines written, oldest first. */
  synchronized List<String> recentLines() {
    return List.copyOf(recent);
  }

  private void emit(String line) {
    synchronized (this) {
      if (recent.size() == RECENT_LINES) {
        recent.removeFirst();
      }
      recent.addLast(line);
    }
    if (looksLikeProblem(line)) {
      log.warn("[{}] {}", workerId, line);
    } else {
      log.info("[{}] {}", workerId, line);
    }
  }

  private static boolean looksLikeProblem(String line) {
    return line.contains("WARN")
        || line.contains("ERROR")
        || line.contains("Exception")
        || line.startsWith("Error")
        || line.startsWith("\tat ");
  }
}
