package dev.quarry.backend.local;

import dev.quarry.storage.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the local process backend. Build with {@link #builder()}; every setter validates its
 * argument.
 *
 * <pre>{@code
 * LocalBackendOptions options = LocalBackendOptions.builder()
 *     .poolSize(4)
 *     .store(objectStore) // workers reach it only through the backend
 *     .build();
 * }</pre>
 *
 * <p>Long because an options class with a builder: every setting (pool, sandbox, limits) is
 * documented and validated here.
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
  private final WorkerSandbox sandbox;
  private final String bwrapCommand;
  private final int sandboxUid;
  private final long maxAddressSpaceBytes;
  private final int maxProcesses;
  private final int maxOpenFiles;
  private final long maxCpuSeconds;
  private final long maxTmpBytes;
  private final long maxObjectBytes;
  private final @Nullable ObjectStore store;
  private final @Nullable StoreSelector storeSelector;
  private final @Nullable TenantObjects tenantObjects;

  private LocalBackendOptions(Builder builder) {
    this.poolSize = builder.poolSize;
    this.maxInFlightPerWorker = builder.maxInFlightPerWorker;
    this.javaCommand = builder.javaCommand;
    this.classpath = builder.classpath;
    this.jvmArgs = builder.jvmArgs;
    this.environment = builder.environment;
    this.startupTimeout = builder.startupTimeout;
    this.deadlineGrace = builder.deadlineGrace;
    this.sandbox = builder.sandbox;
    this.bwrapCommand = builder.bwrapCommand;
    this.sandboxUid = builder.sandboxUid;
    this.maxAddressSpaceBytes = builder.maxAddressSpaceBytes;
    this.maxProcesses = builder.maxProcesses;
    this.maxOpenFiles = builder.maxOpenFiles;
    this.maxCpuSeconds = builder.maxCpuSeconds;
    this.maxTmpBytes = builder.maxTmpBytes;
    this.maxObjectBytes = builder.maxObjectBytes;
    this.store = builder.store;
    this.storeSelector = builder.storeSelector;
    this.tenantObjects = builder.tenantObjects;
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
        .deadlineGrace(deadlineGrace)
        .sandbox(sandbox)
        .bwrapCommand(bwrapCommand)
        .sandboxUid(sandboxUid)
        .maxAddressSpaceBytes(maxAddressSpaceBytes)
        .maxProcesses(maxProcesses)
        .maxOpenFiles(maxOpenFiles)
        .maxCpuSeconds(maxCpuSeconds)
        .maxTmpBytes(maxTmpBytes)
        .maxObjectBytes(maxObjectBytes)
        .store(store)
        .storeSelector(storeSelector)
        .tenantObjects(tenantObjects);
  }

  /**
   * Default JVM options of a worker: serial GC (no GC threads competing with the pool), a bounded
   * heap, metaspace, code cache and class space (so the address-space limit leaves room for the
   * heap), exit on {@link OutOfMemoryError} so the backend replaces the worker, no perf-data file.
   */
  public static List<String> defaultJvmArgs() {
    return List.of(
        "-Xmx512m",
        "-XX:MaxMetaspaceSize=256m",
        "-XX:CompressedClassSpaceSize=128m",
        "-XX:ReservedCodeCacheSize=64m",
        "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:-UsePerfData");
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

  /**
   * Environment variables of the workers besides a minimal {@code PATH}, {@code HOME}, {@code
   * TMPDIR} and {@code LANG}: nothing of the server's own environment is inherited. Never logged.
   */
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

  /** How workers are isolated from the host. Default {@link WorkerSandbox#BWRAP}. */
  public WorkerSandbox sandbox() {
    return sandbox;
  }

  /** The bubblewrap executable. Default {@code bwrap} on the {@code PATH}. */
  public String bwrapCommand() {
    return bwrapCommand;
  }

  /**
   * First user id of sandboxed workers when the server runs as root: worker {@code n} of the pool
   * runs as {@code sandboxUid + n}, so its process limit counts only its own processes. Ignored
   * when the server is not root (workers then run in their own user namespace). Default 61000.
   */
  public int sandboxUid() {
    return sandboxUid;
  }

  /** Address space of a sandboxed worker ({@code RLIMIT_AS}). Default 3 GiB. */
  public long maxAddressSpaceBytes() {
    return maxAddressSpaceBytes;
  }

  /** Processes and threads of a sandboxed worker ({@code RLIMIT_NPROC}). Default 128. */
  public int maxProcesses() {
    return maxProcesses;
  }

  /** Open files of a sandboxed worker ({@code RLIMIT_NOFILE}). Default 1024. */
  public int maxOpenFiles() {
    return maxOpenFiles;
  }

  /**
   * CPU seconds a sandboxed worker may use over its life ({@code RLIMIT_CPU}); 0 means no limit
   * (invocations are still bounded by their deadline). Default 0.
   */
  public long maxCpuSeconds() {
    return maxCpuSeconds;
  }

  /** Size of a sandboxed worker's private {@code /tmp} (memory-backed). Default 1 GiB. */
  public long maxTmpBytes() {
    return maxTmpBytes;
  }

  /** Largest object a worker may write through the backend. Default 256 MiB. */
  public long maxObjectBytes() {
    return maxObjectBytes;
  }

  /**
   * The store workers read and write through the backend, over their pipes, with each key checked
   * against the running invocation's grant; envelopes then carry storage type {@code channel} and
   * no settings. When absent, workers open the store named in each envelope themselves (needs
   * {@link WorkerSandbox#NONE} unless the store is reachable from inside the sandbox).
   */
  public Optional<ObjectStore> store() {
    return Optional.ofNullable(store);
  }

  /**
   * Chooses, per invocation, the store its worker reaches through the backend instead of {@link
   * #store()} (which must then be set too). Absent: every invocation uses {@link #store()}.
   */
  public Optional<StoreSelector> storeSelector() {
    return Optional.ofNullable(storeSelector);
  }

  /**
   * The tenants' Storage API objects that context functions reach over their worker's pipe (only
   * with a {@link #store()}); when absent, such calls are refused.
   */
  public Optional<TenantObjects> tenantObjects() {
    return Optional.ofNullable(tenantObjects);
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
        + ", sandbox="
        + sandbox
        + ", maxAddressSpaceBytes="
        + maxAddressSpaceBytes
        + ", maxProcesses="
        + maxProcesses
        + ", maxOpenFiles="
        + maxOpenFiles
        + ", maxCpuSeconds="
        + maxCpuSeconds
        + ", storage channel="
        + (store != null)
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
    private WorkerSandbox sandbox = WorkerSandbox.BWRAP;
    private String bwrapCommand = "bwrap";
    private int sandboxUid = 61000;
    private long maxAddressSpaceBytes = 3L << 30;
    private int maxProcesses = 128;
    private int maxOpenFiles = 1024;
    private long maxCpuSeconds = 0;
    private long maxTmpBytes = 1L << 30;
    private long maxObjectBytes = 256L << 20;
    private @Nullable ObjectStore store;
    private @Nullable StoreSelector storeSelector;
    private @Nullable TenantObjects tenantObjects;

    private Builder() {}

    public Builder sandbox(WorkerSandbox sandbox) {
      this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
      return this;
    }

    /**
     * @throws IllegalArgumentException if blank
     */
    public Builder bwrapCommand(String bwrapCommand) {
      require(!bwrapCommand.isBlank(), "bwrapCommand must not be blank");
      this.bwrapCommand = bwrapCommand;
      return this;
    }

    /**
     * @throws IllegalArgumentException if not between 1000 and 2^31 - 2048
     */
    public Builder sandboxUid(int sandboxUid) {
      require(
          sandboxUid >= 1000 && sandboxUid <= Integer.MAX_VALUE - 2048,
          "sandboxUid must be between 1000 and "
              + (Integer.MAX_VALUE - 2048)
              + ", got "
              + sandboxUid);
      this.sandboxUid = sandboxUid;
      return this;
    }

    /**
     * @throws IllegalArgumentException if below 1 GiB (a JVM reserves that much at start)
     */
    public Builder maxAddressSpaceBytes(long maxAddressSpaceBytes) {
      require(
          maxAddressSpaceBytes >= 1L << 30,
          "maxAddressSpaceBytes must be at least 1 GiB, got " + maxAddressSpaceBytes);
      this.maxAddressSpaceBytes = maxAddressSpaceBytes;
      return this;
    }

    /**
     * @throws IllegalArgumentException if not between 32 (a JVM's own threads) and 65536
     */
    public Builder maxProcesses(int maxProcesses) {
      require(
          maxProcesses >= 32 && maxProcesses <= 65536,
          "maxProcesses must be between 32 and 65536, got " + maxProcesses);
      this.maxProcesses = maxProcesses;
      return this;
    }

    /**
     * @throws IllegalArgumentException if not between 64 and 1048576
     */
    public Builder maxOpenFiles(int maxOpenFiles) {
      require(
          maxOpenFiles >= 64 && maxOpenFiles <= 1 << 20,
          "maxOpenFiles must be between 64 and 1048576, got " + maxOpenFiles);
      this.maxOpenFiles = maxOpenFiles;
      return this;
    }

    /**
     * @throws IllegalArgumentException if negative
     */
    public Builder maxCpuSeconds(long maxCpuSeconds) {
      require(maxCpuSeconds >= 0, "maxCpuSeconds must not be negative, got " + maxCpuSeconds);
      this.maxCpuSeconds = maxCpuSeconds;
      return this;
    }

    /**
     * @throws IllegalArgumentException if below 16 MiB
     */
    public Builder maxTmpBytes(long maxTmpBytes) {
      require(maxTmpBytes >= 16L << 20, "maxTmpBytes must be at least 16 MiB, got " + maxTmpBytes);
      this.maxTmpBytes = maxTmpBytes;
      return this;
    }

    /**
     * @throws IllegalArgumentException if not between 1 MiB and 2 GiB
     */
    public Builder maxObjectBytes(long maxObjectBytes) {
      require(
          maxObjectBytes >= 1L << 20 && maxObjectBytes <= Integer.MAX_VALUE - 1024,
          "maxObjectBytes must be between 1 MiB and 2 GiB, got " + maxObjectBytes);
      this.maxObjectBytes = maxObjectBytes;
      return this;
    }

    /** The tenants' objects context functions reach over the pipe; null to refuse such calls. */
    public Builder tenantObjects(@Nullable TenantObjects tenantObjects) {
      this.tenantObjects = tenantObjects;
      return this;
    }

    /** The store workers reach through the backend; null to let them open it themselves. */
    public Builder store(@Nullable ObjectStore store) {
      this.store = store;
      return this;
    }

    /** See {@link LocalBackendOptions#storeSelector()}; null for {@link #store} alone. */
    public Builder storeSelector(@Nullable StoreSelector storeSelector) {
      this.storeSelector = storeSelector;
      return this;
    }

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
