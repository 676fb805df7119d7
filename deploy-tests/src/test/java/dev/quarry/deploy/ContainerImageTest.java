package dev.quarry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image Jib wrote to {@code server/target/jib-image.tar} ({@code -Pimage}): its config
 * (entrypoint, non-root user, ports, volume, environment) and its layers (the app, a java on the
 * PATH, a class path that holds the worker's main class, a writable quarry home).
 */
class ContainerImageTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static JsonNode config;
  static JsonNode manifest;

  /** path in the image (no leading slash) -> entry, across all layers */
  static final Map<String, TarArchiveEntry> files = new HashMap<>();

  static String classpathFile;
  static final Set<String> workerJarClasses = new TreeSet<>();
  static int layersInTar;

  @BeforeAll
  static void read() throws Exception {
    Path tar = Repo.file("server/target/jib-image.tar");
    assertThat(tar).as("built by ./mvnw -Pimage package").exists();
    Map<String, byte[]> top = new HashMap<>();
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tar)))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.getName().endsWith(".json")) {
          top.put(e.getName(), in.readAllBytes());
        } else {
          layersInTar++;
          readLayer(in);
        }
      }
    }
    manifest = JSON.readTree(top.get("manifest.json")).get(0);
    config = JSON.readTree(top.get(manifest.get("Config").asText()));
  }

  private static void readLayer(InputStream layer) throws Exception {
    InputStream raw = new BufferedInputStream(nonClosing(layer));
    raw.mark(2);
    boolean gzip = raw.read() == 0x1f & raw.read() == 0x8b;
    raw.reset();
    TarArchiveInputStream files = new TarArchiveInputStream(gzip ? new GZIPInputStream(raw) : raw);
    for (TarArchiveEntry e; (e = files.getNextEntry()) != null; ) {
      String name = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
      ContainerImageTest.files.put(
          name.endsWith("/") ? name.substring(0, name.length() - 1) : name, e);
      if (name.equals("app/jib-classpath-file")) {
        classpathFile = new String(files.readAllBytes(), StandardCharsets.UTF_8).strip();
      } else if (name.matches("app/libs/quarry-worker-runtime-.*\\.jar")) {
        try (ZipInputStream jar =
            new ZipInputStream(new ByteArrayInputStream(files.readAllBytes()))) {
          for (ZipEntry z; (z = jar.getNextEntry()) != null; ) {
            workerJarClasses.add(z.getName());
          }
        }
      }
    }
  }

  private static InputStream nonClosing(InputStream in) {
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void entrypointStartsTheServerFromJibsClassPathFile() {
    List<String> entrypoint = strings(config.at("/config/Entrypoint"));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint)
        .containsSubsequence("-cp", "@/app/jib-classpath-file", "dev.quarry.server.QuarryServer");
    assertThat(entrypoint).contains("--enable-native-access=ALL-UNNAMED");
    assertThat(entrypoint.getLast()).isEqualTo("dev.quarry.server.QuarryServer");
  }

  @Test
  void runsAsNonRootUser() {
    String user = config.at("/config/User").asText();
    String uid = user.split(":")[0];
    assertThat(uid).isNotEmpty().isNotEqualTo("root");
    assertThat(Integer.parseInt(uid)).isPositive();
  }

  @Test
  void exposesTheServersPortsAndDeclaresTheHomeVolume() throws Exception {
    assertThat(strings(fieldNames(config.at("/config/ExposedPorts"))))
        .containsExactlyInAnyOrder(
            ServerSettings.applicationYamlDefault("QUARRY_HTTP_PORT") + "/tcp",
            ServerSettings.defaultGrpcPort() + "/tcp",
            ServerSettings.applicationYamlDefault("QUARRY_MANAGEMENT_PORT") + "/tcp");
    assertThat(strings(fieldNames(config.at("/config/Volumes"))))
        .containsExactly("/var/lib/quarry");
    List<String> env = strings(config.at("/config/Env"));
    assertThat(env)
        .contains(
            "QUARRY_HOME=/var/lib/quarry",
            "QUARRY_BIND_ADDRESS=0.0.0.0",
            "QUARRY_MANAGEMENT_ADDRESS=0.0.0.0");
    // every QUARRY_* variable of the image binds to a server setting or placeholder
    Set<String> placeholders = ServerSettings.applicationYamlPlaceholders();
    for (String e : env) {
      String name = e.substring(0, e.indexOf('='));
      if (name.startsWith("QUARRY_") && !placeholders.contains(name)) {
        assertThat(ServerSettings.bindEnv(name)).as(name).isPresent();
      }
    }
  }

  static JsonNode fieldNames(JsonNode object) {
    var array = JSON.createArrayNode();
    object.fieldNames().forEachRemaining(array::add);
    return array;
  }

  @Test
  void layersHoldTheAppAndAJavaOnThePath() {
    assertThat(manifest.get("Layers")).hasSizeGreaterThanOrEqualTo(5);
    assertThat(layersInTar).isEqualTo(manifest.get("Layers").size());
    assertThat(config.at("/rootfs/diff_ids")).hasSize(layersInTar);
    assertThat(files.keySet())
        .as("files in the image")
        .containsAll(
            List.of(
                "app/jib-classpath-file",
                "app/jib-main-class-file",
                "app/classes/dev/quarry/server/QuarryServer.class",
                // the compose healthcheck runs it
                "app/classes/dev/quarry/server/observability/HealthProbe.class",
                "app/resources/application.yaml"));
    String path =
        strings(config.at("/config/Env")).stream()
            .filter(e -> e.startsWith("PATH="))
            .findFirst()
            .orElseThrow()
            .substring(5);
    assertThat(
            Arrays.stream(path.split(":"))
                .anyMatch(dir -> files.containsKey(dir.substring(1) + "/java")))
        .as("a java on PATH=" + path)
        .isTrue();
  }

  @Test
  void workerJvmsGetAClassPathWithTheWorkerMainClass() throws Exception {
    assertThat(classpathFile).isNotNull();
    String[] entries = classpathFile.split(":");
    assertThat(entries).contains("/app/classes", "/app/resources");
    for (String entry : entries) {
      assertThat(files.containsKey(entry.substring(1)))
          .as("class path entry " + entry + " in the image")
          .isTrue();
    }
    assertThat(entries).anyMatch(e -> e.matches("/app/libs/quarry-worker-runtime-.*\\.jar"));
    String mainClass = dev.quarry.worker.local.LocalWorkerMain.class.getName();
    assertThat(workerJarClasses).contains(mainClass.replace('.', '/') + ".class");
  }

  @Test
  void quarryHomeIsWritableByTheImagesGroup() {
    TarArchiveEntry home = files.get("var/lib/quarry");
    assertThat(home).isNotNull();
    assertThat(home.isDirectory()).isTrue();
    String gid = config.at("/config/User").asText().split(":")[1];
    // owned by root:root in Jib layers, so the user's group (0) must be able to write
    assertThat(gid).isEqualTo(String.valueOf(home.getLongGroupId()));
    assertThat(home.getMode() & 0070).isEqualTo(0070);
  }
}
