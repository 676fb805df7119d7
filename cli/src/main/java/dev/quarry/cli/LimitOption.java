package dev.quarry.cli;

import picocli.CommandLine.Option;

/** {@code --limit N} of a listing: how many rows to ask the server for, 1 to 1000. */
final class LimitOption {
  @Option(names = "--limit", description = "How many (1-1000, default ${DEFAULT-VALUE}).")
  int limit;

  LimitOption(int defaultLimit) {
    this.limit = defaultLimit;
  }

  /**
   * The limit asked for.
   *
   * @throws IllegalArgumentException if it is out of range (a usage error)
   */
  int value() {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("--limit must be between 1 and 1000, got " + limit);
    }
    return limit;
  }
}
