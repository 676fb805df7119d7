package dev.quarry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml against what the server reads: every {@code QUARRY_*} variable and every
 * property in {@code SPRING_APPLICATION_JSON} binds to a server setting (S3 setting names with
 * their case), the published ports are the ones the server listens on, and secrets come from .env,
 * never from the file.
 */
class ComposeFileTest {
  static final List<String> REPLICAS = List.of("quarry-1", "quarry-2");
  static Map<String, Object> compose;

  @BeforeAll
  static void read() throws Exception {
    compose = Repo.yaml(Repo.file("docker-compose.yml"));
  }

  static Map<String, Object> service(String name) {
    Object s = Repo.map(compose.get("services")).get(name);
    assertThat(s).as("service " + name).isNotNull();
    return Repo.map(s);
  }

  static Map<String, String> environment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    Repo.map(service(service).get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
    return env;
  }

  @Test
  void declaresDatabaseStoreBucketAndTwoReplicasWithHealthchecks() {
    assertThat(Repo.map(compose.get("services")))
        .containsKeys("postgres", "minio", "bucket", "quarry-1", "quarry-2");
    for (String s : List.of("postgres", "minio", "quarry-1", "quarry-2")) {
      assertThat(service(s)).as(s).containsKey("healthcheck");
    }
    for (String replica : REPLICAS) {
      Map<String, Object> dependsOn = Repo.map(service(replica).get("depends_on"));
      assertThat(Repo.at(dependsOn, "postgres.condition")).isEqualTo("service_healthy");
      assertThat(Repo.at(dependsOn, "bucket.condition"))
          .isEqualTo("service_completed_successfully");
      assertThat(environment(replica)).containsEntry("QUARRY_STORAGE_TYPE", "s3");
      assertThat(environment(replica).get("QUARRY_DB_URL"))
          .startsWith("jdbc:postgresql://postgres:5432/");
    }
    // both replicas on the same database and bucket
    assertThat(environment("quarry-1").get("QUARRY_DB_URL"))
        .isEqualTo(environment("quarry-2").get("QUARRY_DB_URL"));
    assertThat(environment("quarry-1").get("QUARRY_STORAGE_SETTINGS_BUCKET"))
        .isEqualTo(environment("quarry-2").get("QUARRY_STORAGE_SETTINGS_BUCKET"));
    assertThat(String.valueOf(service("bucket").get("command")))
        .contains("mc mb --ignore-existing");
  }

  @Test
  void everyQuarryVariableBindsToAServerSetting() throws Exception {
    Set<String> placeholders = ServerSettings.applicationYamlPlaceholders();
    Set<String> s3 = ServerSettings.s3SettingNames();
    for (String replica : REPLICAS) {
      for (var e : environment(replica).entrySet()) {
        String name = e.getKey();
        if (name.equals("SPRING_APPLICATION_JSON") || placeholders.contains(name)) {
          continue;
        }
        Optional<ServerSettings.Binding> b = ServerSettings.bindEnv(name);
        assertThat(b).as(replica + ": " + name + " binds to no quarry.* property").isPresent();
        if (b.get().mapKey() != null) {
          assertThat(s3)
              .as(
                  replica
                      + ": "
                      + name
                      + " sets storage setting '"
                      + b.get().mapKey()
                      + "', which the S3 store does not read (environment names arrive lower-cased)")
              .contains(b.get().mapKey());
        }
      }
    }
  }

  @Test
  void springApplicationJsonSetsStorageSettingsTheStoreReads() throws Exception {
    Set<String> s3 = ServerSettings.s3SettingNames();
    Set<String> declared = new TreeSet<>();
    for (String replica : REPLICAS) {
      String json = interpolate(environment(replica).get("SPRING_APPLICATION_JSON"));
      Map<String, Object> props = new ObjectMapper().readValue(json, Map.class);
      for (String key : props.keySet()) {
        Optional<ServerSettings.Binding> b = ServerSettings.bindProperty(key);
        assertThat(b).as(key).isPresent();
        assertThat(b.get().mapKey()).as(key).isNotNull();
        assertThat(s3).as(key).contains(b.get().mapKey());
        declared.add(b.get().mapKey());
      }
      for (var e : environment(replica).entrySet()) {
        ServerSettings.bindEnv(e.getKey())
            .map(ServerSettings.Binding::mapKey)
            .ifPresent(declared::add);
      }
    }
    assertThat(declared)
        .contains("bucket", "endpoint", "region", "pathStyle", "accessKeyId", "secretAccessKey");
  }

  @Test
  void publishedPortsAreTheOnesTheServerListensOn() throws Exception {
    int http = Integer.parseInt(ServerSettings.applicationYamlDefault("QUARRY_HTTP_PORT"));
    int grpc = ServerSettings.defaultGrpcPort();
    int management =
        Integer.parseInt(ServerSettings.applicationYamlDefault("QUARRY_MANAGEMENT_PORT"));
    for (String replica : REPLICAS) {
      Map<String, String> env = environment(replica);
      int httpPort = Integer.parseInt(env.getOrDefault("QUARRY_HTTP_PORT", String.valueOf(http)));
      int grpcPort = Integer.parseInt(env.getOrDefault("QUARRY_GRPC_PORT", String.valueOf(grpc)));
      int managementPort =
          Integer.parseInt(env.getOrDefault("QUARRY_MANAGEMENT_PORT", String.valueOf(management)));
      List<Integer> targets = new ArrayList<>();
      for (Object p : (List<?>) service(replica).get("ports")) {
        String[] parts = String.valueOf(p).split(":");
        targets.add(Integer.parseInt(parts[parts.length - 1]));
      }
      assertThat(targets).as(replica).containsExactlyInAnyOrder(httpPort, grpcPort);
      assertThat(targets)
          .as(replica + " publishes no management port")
          .doesNotContain(managementPort);
    }
  }

  @Test
  void secretsComeFromEnvFileWhichGitIgnores() throws Exception {
    Properties example = new Properties();
    try (var r = Files.newBufferedReader(Repo.file(".env.example"))) {
      example.load(r);
    }
    String text = Files.readString(Repo.file("docker-compose.yml"));
    Matcher m = Pattern.compile("\\$\\{([A-Z_]+):\\?").matcher(text);
    Set<String> required = new TreeSet<>();
    while (m.find()) {
      required.add(m.group(1));
    }
    assertThat(required)
        .contains(
            "QUARRY_OPERATOR_KEY",
            "QUARRY_SECRETS_MASTER_KEYS",
            "POSTGRES_PASSWORD",
            "MINIO_ROOT_USER",
            "MINIO_ROOT_PASSWORD");
    assertThat(example.stringPropertyNames()).containsAll(required);
    for (String replica : REPLICAS) {
      Map<String, String> env = environment(replica);
      for (String secret :
          List.of("QUARRY_OPERATOR_KEY", "QUARRY_SECRETS_MASTER_KEYS", "QUARRY_DB_PASSWORD")) {
        assertThat(env.get(secret)).as(secret).startsWith("${").endsWith("}");
      }
    }
    assertThat(Files.readAllLines(Repo.file(".gitignore"))).contains(".env");
  }

  @Test
  void usesNamedVolumesForEveryStatefulService() {
    Set<String> volumes = Repo.map(compose.get("volumes")).keySet();
    for (String s : List.of("postgres", "minio", "quarry-1", "quarry-2")) {
      List<?> mounts = (List<?>) service(s).get("volumes");
      assertThat(mounts).as(s).isNotEmpty();
      String source = String.valueOf(mounts.get(0)).split(":")[0];
      assertThat(volumes).as(s).contains(source);
    }
    assertThat(String.valueOf(service("quarry-1").get("volumes"))).contains(":/var/lib/quarry");
  }

  @Test
  void composeValidatesTheFileWithTheExampleEnv() throws Exception {
    boolean installed =
        new ProcessBuilder("sh", "-c", "command -v docker-compose").start().waitFor() == 0;
    Assumptions.assumeTrue(installed, "docker-compose is not installed (.ci/run installs it)");
    Process p =
        new ProcessBuilder(
                "docker-compose",
                "-f",
                "docker-compose.yml",
                "--env-file",
                ".env.example",
                "config",
                "-q")
            .directory(Repo.root().toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
  }

  /** ${VAR:?…} and ${VAR:-…} replaced by the example values, as Compose would. */
  static String interpolate(String s) throws Exception {
    Properties example = new Properties();
    try (var r = Files.newBufferedReader(Repo.file(".env.example"))) {
      example.load(r);
    }
    Matcher m = Pattern.compile("\\$\\{([A-Z_]+)(:[?-][^}]*)?}").matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(example.getProperty(m.group(1), "x")));
    }
    m.appendTail(out);
    return out.toString();
  }
}
