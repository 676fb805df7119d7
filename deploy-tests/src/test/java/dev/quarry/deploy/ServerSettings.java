package dev.quarry.deploy;

import dev.quarry.server.QuarryProperties;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the server reads, taken from its code: {@code QuarryProperties} (by reflection, the way
 * Spring's relaxed binding maps {@code QUARRY_DB_POOL_SIZE} or {@code QUARRY_DB_POOLSIZE} to {@code
 * quarry.db.pool-size}), the environment placeholders of its {@code application.yaml}, and the S3
 * store's setting names.
 */
final class ServerSettings {
  private ServerSettings() {}

  /** A property an environment variable binds to; {@code mapKey} set when it lands in a map. */
  record Binding(String property, String mapKey) {}

  /** Where {@code QUARRY_…} binds in {@code QuarryProperties}, if anywhere. */
  static Optional<Binding> bindEnv(String variable) {
    if (!variable.startsWith("QUARRY_")) {
      return Optional.empty();
    }
    List<String> segments =
        Arrays.asList(variable.substring("QUARRY_".length()).toLowerCase(Locale.ROOT).split("_"));
    return bind(QuarryProperties.class, segments, "quarry");
  }

  /**
   * Where a dotted property ({@code quarry.storage.settings.pathStyle}) binds, keeping the case of
   * map keys.
   */
  static Optional<Binding> bindProperty(String property) {
    if (!property.startsWith("quarry.")) {
      return Optional.empty();
    }
    String[] parts = property.substring("quarry.".length()).split("\\.");
    List<String> segments = new ArrayList<>();
    for (String p : parts) {
      segments.add(p);
    }
    return bind(QuarryProperties.class, segments, "quarry");
  }

  private static Optional<Binding> bind(Class<?> type, List<String> segments, String prefix) {
    for (RecordComponent c : type.getRecordComponents()) {
      String name = c.getName().toLowerCase(Locale.ROOT);
      for (int k = 1; k <= segments.size(); k++) {
        String joined =
            String.join("", segments.subList(0, k)).replace("-", "").toLowerCase(Locale.ROOT);
        if (!joined.equals(name)) {
          continue;
        }
        List<String> rest = segments.subList(k, segments.size());
        String property = prefix + "." + c.getName();
        Class<?> t = c.getType();
        if (rest.isEmpty()) {
          return t.isRecord() || Map.class.isAssignableFrom(t)
              ? Optional.empty()
              : Optional.of(new Binding(property, null));
        }
        if (t.isRecord()) {
          Optional<Binding> inner = bind(t, rest, property);
          if (inner.isPresent()) {
            return inner;
          }
        } else if (Map.class.isAssignableFrom(t)) {
          return Optional.of(new Binding(property, String.join(".", rest)));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Environment variables named in {@code ${NAME…}} placeholders of the server's application.yaml.
   */
  static Set<String> applicationYamlPlaceholders() throws Exception {
    String yaml = Files.readString(Repo.file("server/src/main/resources/application.yaml"));
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]").matcher(yaml);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** The default of {@code ${NAME:default}} in application.yaml. */
  static String applicationYamlDefault(String name) throws Exception {
    String yaml = Files.readString(Repo.file("server/src/main/resources/application.yaml"));
    Matcher m = Pattern.compile("\\$\\{" + name + ":([^}]*)}").matcher(yaml);
    if (!m.find()) {
      throw new AssertionError("no ${" + name + ":…} in application.yaml");
    }
    return m.group(1);
  }

  /** The gRPC port's {@code @DefaultValue}. */
  static int defaultGrpcPort() throws Exception {
    return Integer.parseInt(
        QuarryProperties.Grpc.class
            .getDeclaredConstructor(int.class)
            .getParameters()[0]
            .getAnnotation(DefaultValue.class)
            .value()[0]);
  }

  /** Setting names of the S3 store ({@code S3Settings} constants), case as the store reads them. */
  static Set<String> s3SettingNames() throws Exception {
    Class<?> settings = Class.forName("dev.quarry.storage.internal.s3.S3Settings");
    Set<String> names = new TreeSet<>();
    for (Field f : settings.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        f.setAccessible(true);
        names.add((String) f.get(null));
      }
    }
    return names;
  }
}
