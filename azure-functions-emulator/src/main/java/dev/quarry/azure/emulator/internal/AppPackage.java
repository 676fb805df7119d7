package dev.quarry.azure.emulator.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deployed function app package: the zip extracted, {@code host.json} at its root and one folder
 * per function with its {@code function.json}, as the Functions host reads it.
 */
record AppPackage(Path root, Map<String, FunctionDef> functions, int functionTimeoutSeconds) {

  /** Zip entries past this total size are refused. */
  static final long MAX_EXTRACTED = 512L * 1024 * 1024;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** An HTTP-triggered function of the package. */
  record FunctionDef(String name, Path scriptFile, String entryPoint, String authLevel) {}

  /**
   * Extracts {@code zip} into {@code dir} and reads its functions.
   *
   * @throws IOException if the zip is malformed, escapes {@code dir}, or has no valid host.json
   */
  static AppPackage extract(InputStream zip, Path dir) throws IOException {
    Files.createDirectories(dir);
    long total = 0;
    try (ZipInputStream in = new ZipInputStream(zip)) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        Path target = dir.resolve(e.getName()).normalize();
        if (!target.startsWith(dir)) {
          throw new IOException("zip entry escapes the package: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        total += Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        if (total > MAX_EXTRACTED) {
          throw new IOException("package larger than " + MAX_EXTRACTED + " bytes extracted");
        }
      }
    }
    return read(dir);
  }

  static AppPackage read(Path root) throws IOException {
    Path host = root.resolve("host.json");
    if (!Files.isRegularFile(host)) {
      throw new IOException("the package has no host.json");
    }
    JsonNode hostJson = JSON.readTree(host.toFile());
    int timeout = timeoutSeconds(hostJson.path("functionTimeout").asString("00:05:00"));
    Map<String, FunctionDef> functions = new HashMap<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        Path fj = d.resolve("function.json");
        if (!Files.isRegularFile(fj)) {
          continue;
        }
        JsonNode f = JSON.readTree(fj.toFile());
        String auth = null;
        for (JsonNode b : f.path("bindings")) {
          if (b.path("type").asString("").equals("httpTrigger")) {
            auth = b.path("authLevel").asString("function").toLowerCase(Locale.ROOT);
          }
        }
        if (auth == null) {
          continue;
        }
        String name = d.getFileName().toString();
        Path script = d.resolve(f.path("scriptFile").asString("")).normalize();
        if (!script.startsWith(root) || !Files.isRegularFile(script)) {
          throw new IOException(name + "/function.json: scriptFile not in the package");
        }
        functions.put(
            name.toLowerCase(Locale.ROOT),
            new FunctionDef(name, script, f.path("entryPoint").asString(""), auth));
      }
    }
    return new AppPackage(root, Map.copyOf(functions), timeout);
  }

  /** {@code hh:mm:ss} as in host.json. */
  static int timeoutSeconds(String hms) {
    String[] p = hms.split(":");
    if (p.length != 3) {
      return 300;
    }
    try {
      return Integer.parseInt(p[0]) * 3600 + Integer.parseInt(p[1]) * 60 + Integer.parseInt(p[2]);
    } catch (NumberFormatException e) {
      return 300;
    }
  }
}
