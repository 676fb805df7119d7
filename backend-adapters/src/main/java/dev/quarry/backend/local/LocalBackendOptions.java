package dev.quarry.backend.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the local process backend. Build with {@link #builder()}; every setter validates its
 * argument.
 *
 * <pre>{@code
 * LocalBackendOptions options = LocalBackendOptions.builder()
 *     .poolSize(4)
 *     .environment(Map.of("AWS_ACCESS_KEY_ID", key, "AWS_SECRET_ACCESS_KEY", secret))
 *     .build();
 * }</pre>
 */
public final class LocalBackendOptions {
  private final int poolSize;
  private final int maxInFlightPerWorker;
  private final String javaCommand;
  private final String classpath;
  private final List<String> jvmArgs;
  private final Map<String, String> environment;
  private final Duration startupTimeout;
  private final Duration deadlineGrace;

  private LocalBackendOptions(Builder builder) {
    this.poolSize = builder.poolSize;
    this.maxInFlightPerWorker = builder.maxInFlightPerWorker;
    this.javaCommand = builder.javaCommand;
    this.classpath = builder.classpath;
    this.jvmArgs = builder.jvmArgs;
    this.environment = builder.environment;
    this.startupTimeout = builder.startupTimeout;
    this.deadlineGrace = builder.deadlineGrace;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder()
        .poolSize(poolSize)
        .maxInFlightPerWorker(maxInFlightPerWorker)
        .javaCommand(javaCommand)
        .classpath(classpath)
        .jvmArgs(jvmArgs)
        .environment(environment)
        .startupTimeout(startupTimeout)
        .deadlineGrace(deadlineGrace);
  }

  /**
   * Default JVM options of a worker: serial GC (no GC threads competing with the pool), a bounded
   * heap, exit on {@link OutOfMemoryError} so the backend replaces the worker, no perf-data file.
   */
  public static List<String> defaultJvmArgs() {
    return List.of(
        "-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData");
  }

  /** Number of worker JVMs. Default: available processors. */
  public int poolSize() {
    return poolSize;
  }

  /** Envelopes written ahead to one worker; it runs them one after another. Default 2. */
  public int maxInFlightPerWorker() {
    return maxInFlightPerWorker;
  }

  /** The {@code java} executable. Default: the one running this JVM. */
  public String javaCommand() {
    return javaCommand;
  }

  /**
   * Class path of the workers; must hold the worker runtime, proto, storage adapters and their
   * dependencies. Default: this JVM's {@code java.class.path}.
   */
  public String classpath() {
    return classpath;
  }

  /** JVM options of the workers. Default: {@link #defaultJvmArgs()}. */
  public List<String> jvmArgs() {
    return jvmArgs;
  }

  /** Extra environment variables of the workers (e.g. storage credentials); never logged. */
  public Map<String, String> environment() {
    return environment;
  }

  /** How long a worker JVM may take to become ready. Default 30 s. */
  public Duration startupTimeout() {
    return startupTimeout;
  }

  /** How long past its deadline an invocation may run before its worker is killed. Default 5 s. */
  public Duration deadlineGrace() {
    return deadlineGrace;
  }

  @Override
  public String toString() {
    return "LocalBackendOptions{poolSize="
        + poolSize
        + ", maxInFlightPerWorker="
        + maxInFlightPerWorker
        + ", javaCommand="
        + javaCommand
        + ", jvmArgs="
        + jvmArgs
        + ", environment="
        + environment.keySet()
        + ", startupTimeout="
        + startupTimeout
        + ", deadlineGrace="
        + deadlineGrace
        + ", classpath entries="
        + classpath.split(java.io.File.pathSeparator).length
        + "}";
  }

  /** Builder of {@link LocalBackendOptions}; not thread-safe. */
  public static final class Builder {
    private int poolSize = Runtime.getRuntime().availableProcessors();
    private int maxInFlightPerWorker = 2;
    private String javaCommand = currentJava();
    private String classpath = System.getProperty("java.class.path", "");
    private List<String> jvmArgs = defaultJvmArgs();
    private Map<String, String> environment = Map.of();
    private Duration startupTimeout = Duration.ofSeconds(30);
    private Duration deadlineGrace = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * @throws IllegalArgumentException if not between 1 and 1024
     */
    public Builder poolSize(int poolSize) {
      require(
          poolSize >= 1 && poolSize <= 1024,
          "poolSize must be between 1 and 1024, got " + poolSize);
      this.poolSize = poolSize;
      return this;
    }

    /**
     * @throws IllegalArgumentException if not between 1 and 64
     */
    public Builder maxInFlightPerWorker(int maxInFlightPerWorker) {
      require(
          maxInFlightPerWorker >= 1 && maxInFlightPerWorker <= 64,
          "maxInFlightPerWorker must be between 1 and 64, got " + maxInFlightPerWorker);
      this.maxInFlightPerWorker = maxInFlightPerWorker;
      return this;
    }

    /**
     * @throws IllegalArgumentException if blank
     */
    public Builder javaCommand(String javaCommand) {
      require(!javaCommand.isBlank(), "javaCommand must not be blank");
      this.javaCommand = javaCommand;
      return this;
    }

    /**
     * @throws IllegalArgumentException if blank
     */
    public Builder classpath(String classpath) {
      require(
          !classpath.isBlank(), "classpath must not be blank (it must hold the worker runtime)");
      this.classpath = classpath;
      return this;
    }

    /**
     * @throws IllegalArgumentException if an argument is blank
     */
    public Builder jvmArgs(List<String> jvmArgs) {
      for (String arg : jvmArgs) {
        require(
            !Objects.requireNonNull(arg, "jvmArgs element").isBlank(),
            "jvmArgs must not contain blank arguments");
      }
      this.jvmArgs = List.copyOf(jvmArgs);
      return this;
    }

    /**
     * @throws IllegalArgumentException if a name is blank or contains '='
     */
    public Builder environment(Map<String, String> environment) {
      for (var entry : environment.entrySet()) {
        String name = Objects.requireNonNull(entry.getKey(), "environment variable name");
        require(
            !name.isBlank() && name.indexOf('=') < 0,
            "invalid environment variable name '" + name + "'");
        Objects.requireNonNull(entry.getValue(), "value of environment variable " + name);
      }
      this.environment = Map.copyOf(environment);
      return this;
    }

    /**
     * @throws IllegalArgumentException if not positive
     */
    public Builder startupTimeout(Duration startupTimeout) {
      require(
          startupTimeout.isPositive(), "startupTimeout must be positive, got " + startupTimeout);
      this.startupTimeout = startupTimeout;
      return this;
    }

    /**
     * @throws IllegalArgumentException if negative
     */
    public Builder deadlineGrace(Duration deadlineGrace) {
      require(
          !deadlineGrace.isNegative(), "deadlineGrace must not be negative, got " + deadlineGrace);
      this.deadlineGrace = deadlineGrace;
      return this;
    }

    /**
     * @throws IllegalStateException if no class path was set and this JVM has none
     */
    public LocalBackendOptions build() {
      if (classpath.isBlank()) {
        throw new IllegalStateException("classpath must be set: this JVM has no java.class.path");
      }
      return new LocalBackendOptions(this);
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }

    private static String currentJava() {
      // java.home first: command() may be a native launcher (jpackage) that is not "java"
      Path bin = Path.of(System.getProperty("java.home"), "bin");
      for (String name : List.of("java", "java.exe")) {
        if (Files.isExecutable(bin.resolve(name))) {
          return bin.resolve(name).toString();
        }
      }
      return ProcessHandle.current().info().command().orElse("java");
    }
  }
}
