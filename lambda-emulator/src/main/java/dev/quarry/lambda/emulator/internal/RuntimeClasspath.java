package dev.quarry.lambda.emulator.internal;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the jars a child JVM needs to run the AWS runtime interface client: the client itself,
 * {@code aws-lambda-java-serialization}, {@code aws-lambda-java-core} and the SDK's {@code
 * utils-lite} (the client calls it on every invocation).
 */
public final class RuntimeClasspath {

  /** Main class of the runtime interface client. */
  static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

  private static final List<String> JAR_NAMES =
      List.of(
          "aws-lambda-java-runtime-interface-client",
          "aws-lambda-java-serialization",
          "aws-lambda-java-core",
          "utils-lite");

  private static final List<String> MARKER_CLASSES =
      List.of(
          MAIN_CLASS,
          "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
          "com.amazonaws.services.lambda.runtime.Context",
          "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");

  private RuntimeClasspath() {}

  /**
   * The entries of {@code java.class.path} whose file name contains one of the runtime's jar names,
   * completed with the code source of each runtime class not found that way (for launchers that
   * hide the classpath). Empty if the runtime is nowhere to be found.
   */
  public static String detect() {
    Set<String> entries = new LinkedHashSet<>();
    String cp = System.getProperty("java.class.path", "");
    for (String entry : cp.split(File.pathSeparator)) {
      String name = fileName(entry);
      if (!name.isEmpty() && JAR_NAMES.stream().anyMatch(name::contains)) {
        entries.add(entry);
      }
    }
    for (int i = 0; i < MARKER_CLASSES.size(); i++) {
      String jarName = JAR_NAMES.get(i);
      if (entries.stream().noneMatch(e -> fileName(e).contains(jarName))) {
        codeSource(MARKER_CLASSES.get(i)).ifPresent(entries::add);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String fileName(String entry) {
    return entry.substring(entry.lastIndexOf(File.separatorChar) + 1);
  }

  private static Optional<String> codeSource(String className) {
    try {
      Class<?> c = Class.forName(className, false, RuntimeClasspath.class.getClassLoader());
      CodeSource source = c.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return Optional.empty();
      }
      return Optional.of(Path.of(source.getLocation().toURI()).toString());
    } catch (ClassNotFoundException | URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
