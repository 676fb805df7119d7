package dev.quarry.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypesScanner;

/** The listed managed types are exactly what scanning the server's packages would find. */
class ManagedTypesTest {

  @Test
  void theListMatchesTheEntitiesInTheCode() {
    var scanned =
        new PersistenceManagedTypesScanner(new DefaultResourceLoader()).scan("dev.quarry.server");
    assertThat(RepositoriesConfiguration.MANAGED_TYPES)
        .containsExactlyInAnyOrderElementsOf(scanned.getManagedClassNames());
  }
}
