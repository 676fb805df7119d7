package dev.quarry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectStoresTest {

  @Test
  void knowsBuiltInTypes() {
    assertThat(ObjectStores.types()).containsExactly("azure-blob", "fs", "s3");
  }

  @Test
  void unknownTypeListsKnownTypes() {
    assertThatThrownBy(() -> ObjectStores.open("gcs", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gcs")
        .hasMessageContaining("fs")
        .hasMessageContaining("s3");
  }
}
