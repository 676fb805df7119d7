package dev.quarry.storage.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStoreContract;
import dev.quarry.storage.ObjectStores;
import dev.quarry.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemObjectStoreTest extends ObjectStoreContract {

  @TempDir Path tempDir;

  private Path root() {
    return tempDir.resolve("objects");
  }

  @Override
  protected ObjectStore createStore() {
    return ObjectStores.open("fs", Map.of("root", root().toString()));
  }

  @Test
  void objectsAreFilesAtTheKeyPath() throws IOException {
    store.put("a/b/c.bin", new byte[] {1, 2});

    assertThat(Files.readAllBytes(root().resolve("a/b/c.bin"))).containsExactly(1, 2);
  }

  @Test
  void putLeavesNoTemporaryFiles() throws IOException {
    for (int i = 0; i < 20; i++) {
      store.put("d/k" + (i % 3), new byte[i]);
    }
    store.put("d/streamed", new java.io.ByteArrayInputStream(new byte[5]), 5);
    try {
      store.put("d/short", new java.io.ByteArrayInputStream(new byte[5]), 6);
    } catch (StorageException expected) {
      // leaves no temp file either
    }

    assertThat(allFiles())
        .extracting(p -> root().relativize(p).toString())
        .containsExactly("d/k0", "d/k1", "d/k2", "d/streamed");
  }

  @Test
  void listSkipsTemporaryAndStrayFiles() throws IOException {
    store.put("d/real", new byte[1]);
    Files.write(root().resolve("d/" + FileSystemObjectStore.TEMP_PREFIX + "abc"), new byte[1]);
    Files.write(root().resolve("d/with space"), new byte[1]);
    Files.createDirectories(root().resolve("d/emptydir"));

    assertThat(store.list("")).containsExactly("d/real");
    assertThat(store.list("d/")).containsExactly("d/real");
  }

  @Test
  void deleteRemovesDirectoriesItLeavesEmpty() {
    store.put("x/y/z/obj", new byte[1]);
    store.put("x/keep", new byte[1]);

    store.delete("x/y/z/obj");

    assertThat(root().resolve("x/y")).doesNotExist();
    assertThat(root().resolve("x/keep")).exists();
    assertThat(root()).exists();
  }

  @Test
  void anObjectCannotAlsoBeAPrefix() {
    store.put("a", new byte[1]);
    store.put("b/c", new byte[1]);

    assertThatThrownBy(() -> store.put("a/b", new byte[1]))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());
    assertThatThrownBy(() -> store.put("b", new byte[1]))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());
    assertThat(store.list("")).containsExactly("a", "b/c");
  }

  @Test
  void rootIsRequiredAndCreated() {
    assertThatThrownBy(() -> ObjectStores.open("fs", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("root");

    Path nested = tempDir.resolve("n1/n2");
    try (ObjectStore s = ObjectStores.open("fs", Map.of("root", nested.toString()))) {
      s.put("k", new byte[1]);
    }
    assertThat(nested.resolve("k")).exists();
  }

  @Test
  void rootThatIsAFileIsRejected() throws IOException {
    Path file = Files.write(tempDir.resolve("file"), new byte[1]);

    assertThatThrownBy(() -> ObjectStores.open("fs", Map.of("root", file.toString())))
        .isInstanceOf(StorageException.class);
  }

  private List<Path> allFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root())) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
