package dev.quarry.server.storage;

import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.server.QuarryProperties;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Opens the store named by {@code quarry.storage.type} ({@code fs} under {@code
 * quarry.storage.data-dir} by default, or {@code s3} / {@code azure-blob} with {@code
 * quarry.storage.settings.*}).
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {
  private static final Set<String> SECRETS =
      Set.of("accesskeyid", "secretaccesskey", "sessiontoken", "accountkey", "sastoken");

  /** Settings only the server acts on (at start). */
  private static final Set<String> SERVER_ONLY = Set.of("createbucket", "createcontainer");

  @Bean(destroyMethod = "close")
  ObjectStore objectStore(QuarryProperties props) {
    return ObjectStores.open(props.storage().type(), settings(props));
  }

  @Bean
  WorkerStorage workerStorage(QuarryProperties props) {
    Map<String, String> open = new HashMap<>();
    settings(props)
        .forEach(
            (k, v) -> {
              // workers never create the bucket (the server did at start) nor get its secrets
              // names compare ignoring case: from environment variables they arrive lower-cased
              if (!SECRETS.contains(k.toLowerCase(Locale.ROOT))
                  && !SERVER_ONLY.contains(k.toLowerCase(Locale.ROOT))) {
                open.put(k, v);
              }
            });
    return new WorkerStorage(
        StorageSettings.newBuilder().setType(props.storage().type()).putAllSettings(open).build());
  }

  private static Map<String, String> settings(QuarryProperties props) {
    Map<String, String> settings = new HashMap<>(props.storage().settings());
    if (props.storage().type().equals("fs")) {
      settings.putIfAbsent("root", props.dataDir().toAbsolutePath().toString());
    }
    return settings;
  }
}
