package dev.quarry.lambda.emulator.internal;

import dev.quarry.emulator.child.ChildProcesses;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts child JVMs running the AWS runtime interface client, with the environment a Lambda sandbox
 * has. The client's native library is extracted once per emulator and passed to each child, because
 * the client's own extraction to a fixed path in {@code /tmp} races when several JVMs start at
 * once.
 */
final class ChildJvmLauncher {

  private static final Logger log = LoggerFactory.getLogger(ChildJvmLauncher.class);
  private static final String JNI_PROPERTY =
      "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

  private final Path javaHome;
  private final String runtimeClasspath;
  private final String region;
  private final Map<String, String> instanceEnvironment;
  private final Path workDir;
  private final int javaFeatureVersion;
  private @Nullable Optional<Path> jniLibrary;

  ChildJvmLauncher(
      Path javaHome,
      String runtimeClasspath,
      String region,
      Map<String, String> instanceEnvironment,
      Path workDir) {
    this.javaHome = javaHome;
    this.runtimeClasspath = runtimeClasspath;
    this.region = region;
    this.instanceEnvironment = instanceEnvironment;
    this.workDir = workDir;
    this.javaFeatureVersion = featureVersion(javaHome);
  }

  /** What a child needs to know about its instance. */
  record Sandbox(
      FunctionConfig config,
      Path taskRoot,
      int runtimeApiPort,
      String logStreamName,
      Path tmpDir,
      Path outputFile) {}

  /**
   * @throws IOException if the runtime classpath is empty or the JVM cannot be started
   */
  Process launch(Sandbox s) throws IOException {
    if (runtimeClasspath.isBlank()) {
      throw new IOException(
          "no AWS runtime interface client on the classpath; add"
              + " com.amazonaws:aws-lambda-java-runtime-interface-client or set"
              + " EmulatorOptions.runtimeClasspath");
    }
    FunctionConfig c = s.config();
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    command.add("-XX:+TieredCompilation");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xshare:auto");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:-UsePerfData");
    command.add("-Xmx" + Math.max(16, c.memoryMb() * 85 / 100) + "m");
    if (javaFeatureVersion >= 22) {
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    if (javaFeatureVersion >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.add("-Djava.io.tmpdir=" + s.tmpDir());
    jniLibrary().ifPresent(lib -> command.add("-D" + JNI_PROPERTY + "=" + lib));
    command.add("-cp");
    command.add(
        String.join(
            File.pathSeparator,
            s.taskRoot().toString(),
            s.taskRoot().resolve("lib").resolve("*").toString(),
            runtimeClasspath));
    command.add(RuntimeClasspath.MAIN_CLASS);
    command.add(c.handler());

    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(s.taskRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(s.outputFile().toFile()));
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "en_US.UTF-8");
    env.putAll(c.environment());
    env.putAll(instanceEnvironment);
    env.put("TZ", ":UTC");
    env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + s.runtimeApiPort());
    env.put("_HANDLER", c.handler());
    env.put("LAMBDA_TASK_ROOT", s.taskRoot().toString());
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + c.runtime());
    env.put("AWS_LAMBDA_FUNCTION_NAME", c.name());
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(c.memoryMb()));
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    env.put("AWS_REGION", region);
    env.put("AWS_DEFAULT_REGION", region);
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + c.name());
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", s.logStreamName());
    Process process = pb.start();
    process.getOutputStream().close();
    ChildProcesses.register(process);
    return process;
  }

  private synchronized Optional<Path> jniLibrary() {
    if (jniLibrary == null) {
      jniLibrary = extractJniLibrary();
    }
    return jniLibrary;
  }

  private Optional<Path> extractJniLibrary() {
    String entryName = "jni/libaws-lambda-jni." + platform() + ".so";
    for (String entry : runtimeClasspath.split(File.pathSeparator)) {
      if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
        continue;
      }
      try (ZipFile jar = new ZipFile(entry)) {
        ZipEntry lib = jar.getEntry(entryName);
        if (lib == null) {
          continue;
        }
        Path target = workDir.resolve("jni").resolve("libaws-lambda-jni.so");
        Files.createDirectories(target.getParent());
        try (InputStream in = jar.getInputStream(lib)) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return Optional.of(target);
      } catch (IOException e) {
        log.debug("cannot read {}: {}", entry, e.toString());
      }
    }
    log.debug("no {} on the runtime classpath; the runtime client extracts its own", entryName);
    return Optional.empty();
  }

  private static String platform() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
    boolean musl =
        Files.exists(Path.of("/lib/ld-musl-x86_64.so.1"))
            || Files.exists(Path.of("/lib/ld-musl-aarch64.so.1"));
    return (musl ? "linux_musl-" : "linux-") + cpu;
  }

  /** The JDK's feature version from its {@code release} file; 21 if unknown. */
  private static int featureVersion(Path javaHome) {
    try (InputStream in = Files.newInputStream(javaHome.resolve("release"))) {
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("JAVA_VERSION", "\"21\"").replace("\"", "");
      int end = 0;
      while (end < v.length() && Character.isDigit(v.charAt(end))) {
        end++;
      }
      return Integer.parseInt(v.substring(0, end));
    } catch (IOException | RuntimeException e) {
      return 21;
    }
  }
}
