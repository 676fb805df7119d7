package dev.quarry.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Files of the repository under test, and YAML read the way Compose and Spring read it. */
final class Repo {
  private Repo() {}

  static Path root() {
    return Path.of(System.getProperty("quarry.root", "..")).toAbsolutePath().normalize();
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }

  /** YAML with anchors and merge keys resolved, as Compose reads it. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String text) {
    return (Map<String, Object>) new Yaml().load(text);
  }

  static Map<String, Object> yaml(Path file) throws Exception {
    return yaml(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  /** {@code a.b.c} in nested maps, or null. */
  static Object at(Map<String, Object> root, String dotted) {
    Object cur = root;
    for (String part : dotted.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(part);
    }
    return cur;
  }
}
