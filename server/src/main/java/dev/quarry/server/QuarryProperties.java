package dev.quarry.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Server configuration ({@code quarry.*}). Every property can also be set from the environment,
 * e.g. {@code QUARRY_DB_URL} for {@code quarry.db.url}.
 *
 * @param home directory for the config file, embedded database and default data dir; unset means
 *     {@code .quarry} in the user's home directory (the {@code user.home} system property)
 * @param bindAddress address the REST and gRPC servers listen on
 * @param grpc gRPC server settings
 * @param db database; empty url means an embedded PostgreSQL under {@code home/pg}
 * @param storage object storage for blobs, inputs and results
 * @param backend where invocations run
 * @param dispatch dispatcher tuning
 * @param limits bounds on requests
 * @param devKey whether to create a dev API key at first start and write it to the config file
 * @param operatorKey key of the operator, who creates and disables tenants; empty disables the
 *     operator API
 * @param secrets master keys that encrypt team credentials at rest
 * @param tenantDefaults per-tenant quotas every tenant starts with (the operator can override them
 *     per tenant)
 * @param lambda settings shared by every AWS Lambda profile
 * @param azure settings shared by every Azure Functions profile
 *     <p>Long because it is the one typed, documented list of the server's settings and their
 *     defaults.
 * @param shutdown how a stopping replica ends its work
 * @param publicUrl the base URL at which workers outside the server's network (Lambda) reach its
 *     REST API, e.g. {@code https://quarry.example.com}; empty: functions on Lambda get no storage
 */
@ConfigurationProperties("quarry")
public record QuarryProperties(
    @Nullable Path home,
    @DefaultValue("127.0.0.1") String bindAddress,
    @DefaultValue Grpc grpc,
    @DefaultValue Db db,
    @DefaultValue Storage storage,
    @DefaultValue Backend backend,
    @DefaultValue Dispatch dispatch,
    @DefaultValue Limits limits,
    @DefaultValue("true") boolean devKey,
    @DefaultValue("") String operatorKey,
    @DefaultValue Secrets secrets,
    @DefaultValue TenantDefaults tenantDefaults,
    @DefaultValue Lambda lambda,
    @DefaultValue Azure azure,
    @DefaultValue Shutdown shutdown,
    @DefaultValue("") String publicUrl) {

  public QuarryProperties {
    publicUrl = checkPublicUrl(publicUrl);
    // Not a @DefaultValue: those are not resolved against system properties, so
    // "${user.home}/.quarry" would become a folder of that literal name in the working directory.
    if (home == null || home.toString().isBlank()) {
      home = defaultHome();
    }
  }

  /**
   * @throws IllegalArgumentException unless empty or an absolute http(s) URL without query or
   *     fragment (a trailing slash is dropped)
   */
  static String checkPublicUrl(String url) {
    String trimmed = url.strip();
    if (trimmed.isEmpty()) {
      return "";
    }
    java.net.URI uri;
    try {
      uri = java.net.URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("quarry.public-url is not a URL: " + e.getMessage(), e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null
        || trimmed.length() > 2048) {
      throw new IllegalArgumentException(
          "quarry.public-url must be an http(s) URL such as https://quarry.example.com, without"
              + " user info, query or fragment; got '"
              + trimmed
              + "'");
    }
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }

  /** {@code .quarry} in the user's home directory. */
  public static Path defaultHome() {
    return Path.of(System.getProperty("user.home"), ".quarry");
  }

  /**
   * @param drainTimeout how long a stopping replica lets its running invocations finish before it
   *     hands the rest back (they run again at once on another replica, without losing an attempt);
   *     0 to 10 minutes
   */
  public record Shutdown(@DefaultValue("20s") Duration drainTimeout) {
    public Shutdown {
      if (drainTimeout.isNegative() || drainTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "quarry.shutdown.drain-timeout must be between 0s and 10m, not " + drainTimeout);
      }
    }
  }

  /**
   * @param workerPackage path of the worker's Lambda zip; empty means the copy built into the
   *     server ({@code quarry/worker-lambda.zip} on the class path)
   * @param allowEndpointOverride whether profiles may set {@code endpoint} (a Lambda-compatible
   *     server other than AWS, such as a local emulator); off by default so profiles cannot point
   *     the server at arbitrary hosts
   */
  public record Lambda(
      @DefaultValue("") String workerPackage,
      @DefaultValue("false") boolean allowEndpointOverride) {}

  /**
   * @param workerPackage path of the worker's Azure Functions zip; empty means the copy built into
   *     the server ({@code quarry/worker-azure.zip} on the class path)
   * @param allowEndpointOverride whether profiles may set {@code authorityHost} and {@code
   *     resourceManagerEndpoint} (another Azure cloud, or a local emulator); off by default so
   *     profiles cannot point the server at arbitrary hosts
   * @param trustStore a PKCS12 trust store for Azure's endpoints instead of the JDK's (an
   *     emulator's certificate); empty for the JDK's
   * @param trustStorePassword its password (not a secret: a trust store holds public certificates)
   */
  public record Azure(
      @DefaultValue("") String workerPackage,
      @DefaultValue("false") boolean allowEndpointOverride,
      @DefaultValue("") String trustStore,
      @DefaultValue("") String trustStorePassword) {}

  /**
   * @param maxConcurrentInvocations invocations of one tenant running at once
   * @param maxJobsInFlight jobs of one tenant running at once
   * @param requestsPerSecond API calls per second per key
   * @param maxStorageMib the Storage API quota: MiB of all of one tenant's stored objects
   * @param maxStorageObjects the Storage API quota: number of one tenant's stored objects
   */
  public record TenantDefaults(
      @DefaultValue("1000") int maxConcurrentInvocations,
      @DefaultValue("100") int maxJobsInFlight,
      @DefaultValue("1000") int requestsPerSecond,
      @DefaultValue("10240") int maxStorageMib,
      @DefaultValue("100000") int maxStorageObjects) {}

  /**
   * @param masterKeys {@code id:base64,id:base64} of 32-byte keys; empty creates a dev key in
   *     {@code home/master-key} at first start
   * @param activeKeyId the key new secrets are sealed with; empty means the last one listed
   */
  public record Secrets(@DefaultValue("") String masterKeys, @DefaultValue("") String activeKeyId) {
    @Override
    public String toString() {
      return "Secrets[masterKeys="
          + (masterKeys.isEmpty() ? "" : "***")
          + ", activeKeyId="
          + activeKeyId
          + "]";
    }
  }

  /**
   * @param port gRPC port; 0 picks a free one
   */
  public record Grpc(@DefaultValue("9090") int port) {}

  /**
   * @param url JDBC URL; empty starts the embedded PostgreSQL
   * @param embeddedPort port of the embedded PostgreSQL (0 picks a free one)
   * @param embeddedStartupTimeout how long the embedded PostgreSQL may take to start, crash
   *     recovery included
   * @param embeddedUnsafeFast turns off {@code fsync} and synchronous commit of the embedded
   *     PostgreSQL: faster, but a host crash or power loss can lose jobs the API already
   *     acknowledged. Off by default; for throwaway benchmarks only.
   */
  public record Db(
      @DefaultValue("") String url,
      @DefaultValue("postgres") String username,
      @DefaultValue("") String password,
      @DefaultValue("10") int poolSize,
      @DefaultValue("0") int embeddedPort,
      @DefaultValue("5m") Duration embeddedStartupTimeout,
      @DefaultValue("false") boolean embeddedUnsafeFast) {
    @Override
    public String toString() {
      return "Db[url="
          + url
          + ", username="
          + username
          + ", password="
          + (password.isEmpty() ? "" : "***")
          + ", poolSize="
          + poolSize
          + ", embeddedPort="
          + embeddedPort
          + ", embeddedUnsafeFast="
          + embeddedUnsafeFast
          + "]";
    }
  }

  /**
   * @param type {@code fs} (default), {@code s3} or {@code azure-blob}
   * @param dataDir root of the {@code fs} store; default {@code home/data}
   * @param settings type-specific settings passed to the store (bucket, endpoint, ...)
   * @param maxObjectBytes largest single object put through the Storage API
   * @param profileBucketEndpoint the S3 endpoint (path-style) of profiles' own buckets when the
   *     server's store is not S3; empty for AWS's endpoint in the profile's {@code region}. An
   *     operator's setting (an S3-compatible store beside a filesystem or Azure Blob server), never
   *     a profile's
   */
  public record Storage(
      @DefaultValue("fs") String type,
      @Nullable Path dataDir,
      @DefaultValue Map<String, String> settings,
      @DefaultValue("5GB") org.springframework.util.unit.DataSize maxObjectBytes,
      @DefaultValue("") String profileBucketEndpoint) {
    @Override
    public String toString() {
      return "Storage[type="
          + type
          + ", dataDir="
          + dataDir
          + ", settings="
          + settings.keySet()
          + "]";
    }
  }

  /**
   * @param type the backend kind of jobs without a profile ({@code local} or {@code lambda}; one
   *     per backend plug-in); checked at start
   * @param settings the settings of that default backend, as a profile of its kind would carry them
   *     (for {@code lambda}: {@code region}, ...); checked at start
   * @param poolSize local worker processes; 0 means one per core
   * @param maxInFlightPerWorker invocations queued to one worker process at once
   * @param workerClasspath classpath of the worker JVMs; empty means this JVM's classpath
   * @param workerJvmArgs extra JVM arguments for worker processes, space separated
   * @param sandbox {@code bwrap} (default): each local worker runs in a bubblewrap sandbox with no
   *     view of the server's files, environment, processes or network; {@code none}: unsandboxed,
   *     only for a trusted single-tenant installation
   * @param worker resource limits of each sandboxed local worker
   */
  public record Backend(
      @DefaultValue("local") String type,
      @DefaultValue Map<String, String> settings,
      @DefaultValue("0") int poolSize,
      @DefaultValue("2") int maxInFlightPerWorker,
      @DefaultValue("") String workerClasspath,
      @DefaultValue("") String workerJvmArgs,
      @DefaultValue("bwrap") String sandbox,
      @DefaultValue Worker worker,
      @DefaultValue Resilience resilience) {}

  /**
   * Limits of one sandboxed local worker process (see {@code LocalBackendOptions}).
   *
   * @param maxAddressSpace {@code RLIMIT_AS}, e.g. {@code 3GB}
   * @param maxProcesses processes and threads ({@code RLIMIT_NPROC})
   * @param maxOpenFiles {@code RLIMIT_NOFILE}
   * @param maxCpuSeconds CPU seconds over the worker's life, 0 for none
   * @param maxTmp size of its private {@code /tmp}
   * @param maxObject largest object it may write (a result)
   * @param sandboxUid first user id of workers when the server runs as root
   */
  public record Worker(
      @DefaultValue("3GB") org.springframework.util.unit.DataSize maxAddressSpace,
      @DefaultValue("128") int maxProcesses,
      @DefaultValue("1024") int maxOpenFiles,
      @DefaultValue("0") long maxCpuSeconds,
      @DefaultValue("1GB") org.springframework.util.unit.DataSize maxTmp,
      @DefaultValue("256MB") org.springframework.util.unit.DataSize maxObject,
      @DefaultValue("61000") int sandboxUid) {}

  /**
   * The Resilience4j layer around the backend (see {@code ResilienceOptions} for meanings).
   *
   * @param maxAttempts deprecated and ignored (null unless set): attempts are counted once, by the
   *     job's retry policy ({@code quarry.dispatch.default-max-attempts})
   * @param failureRateThreshold percent of failed invocations that opens a tenant's circuit
   * @param slidingWindowSize invocations the failure rate is computed over
   * @param minimumNumberOfCalls invocations before the circuit may open
   * @param waitDurationInOpenState how long an open circuit refuses invocations
   * @param invocationsPerSecond 0 for unlimited
   * @param maxConcurrentInvocations 0 for the backend's own capacity
   */
  public record Resilience(
      @Nullable Integer maxAttempts,
      @DefaultValue("50") float failureRateThreshold,
      @DefaultValue("20") int slidingWindowSize,
      @DefaultValue("10") int minimumNumberOfCalls,
      @DefaultValue("30s") Duration waitDurationInOpenState,
      @DefaultValue("0") int invocationsPerSecond,
      @DefaultValue("0") int maxConcurrentInvocations) {}

  /**
   * @param owner lease owner name of this replica; empty means host:pid
   * @param maxClaimRows most tasks claimed in one statement
   * @param pollInterval fallback poll when no notification arrives
   * @param leaseGrace added to a job's invocation timeout to form the task lease
   * @param reaperInterval how often expired leases are reclaimed
   */
  public record Dispatch(
      @DefaultValue("") String owner,
      @DefaultValue("20000") int maxClaimRows,
      @DefaultValue("1s") Duration pollInterval,
      @DefaultValue("30s") Duration leaseGrace,
      @DefaultValue("5s") Duration reaperInterval,
      @DefaultValue("200ms") Duration retryInitialBackoff,
      @DefaultValue("3") int defaultMaxAttempts,
      @DefaultValue("15m") Duration defaultTimeout,
      @DefaultValue("1h") Duration maxTimeout) {}

  /**
   * @param maxInputsPerJob most inputs in one map
   * @param maxInputBytes largest single input
   * @param maxRequestBytes largest request body / gRPC message
   * @param inlineInputBytes inputs up to this size live in the database, larger ones in storage
   * @param maxBlobBytes largest uploaded blob (jar)
   * @param maxChunkSize most inputs per invocation
   */
  public record Limits(
      @DefaultValue("100000") int maxInputsPerJob,
      @DefaultValue("1048576") int maxInputBytes,
      @DefaultValue("67108864") int maxRequestBytes,
      @DefaultValue("4096") int inlineInputBytes,
      @DefaultValue("536870912") long maxBlobBytes,
      @DefaultValue("10000") int maxChunkSize) {}

  @Override
  public String toString() {
    return "QuarryProperties[home="
        + home
        + ", bindAddress="
        + bindAddress
        + ", grpc="
        + grpc
        + ", db="
        + db
        + ", storage.type="
        + storage.type()
        + ", backend="
        + backend
        + ", operatorKey="
        + (operatorKey.isEmpty() ? "unset" : "***")
        + ", secrets="
        + secrets
        + "]";
  }

  public Path dataDir() {
    return storage.dataDir() != null ? storage.dataDir() : home.resolve("data");
  }
}
