package dev.quarry.cli.testfns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A jar function for {@code quarry jobs retry-failed}: an input that is an absolute path fails the
 * first time (leaving a marker file there) and succeeds after; any other input succeeds.
 */
public final class Flaky implements Function<Object, Object> {
  @Override
  public Object apply(Object input) {
    String text = String.valueOf(input);
    if (!text.startsWith("/")) {
      return "ok " + text;
    }
    Path marker = Path.of(text);
    if (Files.exists(marker)) {
      return "again " + marker.getFileName();
    }
    try {
      Files.createFile(marker);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("first run of " + marker.getFileName());
  }
}
