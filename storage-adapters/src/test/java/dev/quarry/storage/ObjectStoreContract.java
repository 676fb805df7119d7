package dev.quarry.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour every {@link ObjectStore} implementation must have. Each test gets an empty store. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ObjectStoreContract {

  /** A new, empty store; closed after each test. */
  protected abstract ObjectStore createStore() throws Exception;

  protected ObjectStore store;

  @BeforeEach
  void openStore() throws Exception {
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static byte[] randomBytes(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void putFileStoresTheFilesBytesAndRejectsBadKeys() throws IOException {
    byte[] data = randomBytes(200_000, 7);
    java.nio.file.Path file = java.nio.file.Files.createTempFile("quarry-contract", ".bin");
    try {
      java.nio.file.Files.write(file, data);
      store.putFile("tenants/t1/blobs/file", file);
      assertThat(store.read("tenants/t1/blobs/file")).hasValue(data);
      assertThatThrownBy(() -> store.putFile("../escape", file))
          .isInstanceOf(InvalidKeyException.class);
      assertThat(store.exists("tenants/t1/blobs/missing")).isFalse();
      assertThatThrownBy(
              () -> store.putFile("tenants/t1/blobs/missing", file.resolveSibling("no-such-file")))
          .isInstanceOf(dev.quarry.storage.StorageException.class);
      assertThat(store.exists("tenants/t1/blobs/missing")).isFalse();
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  @Test
  void openRangeReturnsExactlyTheRequestedBytes() throws IOException {
    byte[] data = randomBytes(300_000, 11);
    store.put("tenants/t1/storage/b/range", data);
    try (InputStream in =
        store.openRange("tenants/t1/storage/b/range", 123_456, 1000).orElseThrow()) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 123_456, 124_456));
    }
    try (InputStream in =
        store.openRange("tenants/t1/storage/b/range", 299_990, 100).orElseThrow()) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 299_990, 300_000));
    }
    try (InputStream in = store.openRange("tenants/t1/storage/b/range", 0, 0).orElseThrow()) {
      assertThat(in.readAllBytes()).isEmpty();
    }
    assertThat(store.openRange("tenants/t1/storage/b/missing", 0, 10)).isEmpty();
  }

  @Test
  void composeConcatenatesPartsInOrderAndRefusesAMissingOne() throws IOException {
    byte[] one = randomBytes(300_000, 21);
    byte[] two = randomBytes(70_001, 22);
    store.put("tenants/t1/storage/b/p1", one);
    store.put("tenants/t1/storage/b/p2", two);
    store.put("tenants/t1/storage/b/whole", "old".getBytes(UTF_8));

    store.compose(
        "tenants/t1/storage/b/whole",
        List.of("tenants/t1/storage/b/p2", "tenants/t1/storage/b/p1"));

    byte[] expected = new byte[one.length + two.length];
    System.arraycopy(two, 0, expected, 0, two.length);
    System.arraycopy(one, 0, expected, two.length, one.length);
    assertThat(store.read("tenants/t1/storage/b/whole")).contains(expected);
    assertThat(store.read("tenants/t1/storage/b/p1")).contains(one);
    assertThatThrownBy(
            () ->
                store.compose(
                    "tenants/t1/storage/b/whole",
                    List.of("tenants/t1/storage/b/p1", "tenants/t1/storage/b/gone")))
        .isInstanceOf(StorageException.class);
    assertThat(store.read("tenants/t1/storage/b/whole")).contains(expected);
  }

  @Test
  void writeAtFillsRangesInAnyOrderOrIsRefused() throws IOException {
    byte[] one = randomBytes(100_000, 31);
    byte[] two = randomBytes(50_001, 32);
    if (!store.canWriteAt()) {
      assertThatThrownBy(
              () -> store.writeAt("staged", 0, new ByteArrayInputStream(one), one.length))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    store.writeAt(
        "tenants/t1/storage/b/staged", one.length, new ByteArrayInputStream(two), two.length);
    store.writeAt("tenants/t1/storage/b/staged", 0, new ByteArrayInputStream(one), one.length);
    byte[] expected = new byte[one.length + two.length];
    System.arraycopy(one, 0, expected, 0, one.length);
    System.arraycopy(two, 0, expected, one.length, two.length);
    assertThat(store.read("tenants/t1/storage/b/staged")).contains(expected);
    assertThatThrownBy(
            () ->
                store.writeAt(
                    "tenants/t1/storage/b/staged", 0, new ByteArrayInputStream(new byte[3]), 4))
        .isInstanceOf(StorageException.class);
  }

  @Test
  void putThenReadReturnsSameBytes() throws IOException {
    byte[] data = randomBytes(10_000, 1);
    store.put("tenants/t1/jobs/j1/results/0.1", data);

    assertThat(store.read("tenants/t1/jobs/j1/results/0.1")).hasValue(data);
    assertThat(store.exists("tenants/t1/jobs/j1/results/0.1")).isTrue();
    try (InputStream in = store.open("tenants/t1/jobs/j1/results/0.1").orElseThrow()) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void overwriteReplacesWholeObject() {
    store.put("k", randomBytes(100_000, 2));
    store.put("k", "abc".getBytes(UTF_8));

    assertThat(store.read("k"))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo("abc".getBytes(UTF_8)));
    assertThat(store.size("k")).hasValue(3L);
    assertThat(store.list("")).containsExactly("k");
  }

  @Test
  void missingKeyIsEmpty() {
    store.put("dir/child", new byte[] {1});

    for (String key : List.of("missing", "dir", "dir/missing", "dir/child/below")) {
      assertThat(store.open(key)).as(key).isEmpty();
      assertThat(store.read(key)).as(key).isEmpty();
      assertThat(store.size(key)).as(key).isEmpty();
      assertThat(store.exists(key)).as(key).isFalse();
    }
  }

  @Test
  void listReturnsSortedKeysUnderPrefixOnly() {
    List<String> keys =
        new ArrayList<>(
            List.of(
                "jobs/j2/r/1",
                "jobs/j1/r/2",
                "jobs/j1/r/10",
                "jobs/j10/x",
                "jobs/j1/a",
                "jobsx/y",
                "other/z",
                "top"));
    Collections.shuffle(keys, new Random(3));
    for (String key : keys) {
      store.put(key, key.getBytes(UTF_8));
    }

    assertThat(store.list("jobs/j1/")).containsExactly("jobs/j1/a", "jobs/j1/r/10", "jobs/j1/r/2");
    assertThat(store.list("jobs/j1"))
        .containsExactly("jobs/j1/a", "jobs/j1/r/10", "jobs/j1/r/2", "jobs/j10/x");
    assertThat(store.list("jobs/"))
        .containsExactly("jobs/j1/a", "jobs/j1/r/10", "jobs/j1/r/2", "jobs/j10/x", "jobs/j2/r/1");
    assertThat(store.list("jobs/j1/r/1")).containsExactly("jobs/j1/r/10");
    assertThat(store.list("t")).containsExactly("top");
    assertThat(store.list(""))
        .isSorted()
        .hasSize(keys.size())
        .containsExactlyInAnyOrderElementsOf(keys);
    assertThat(store.list("nothing/")).isEmpty();
    assertThat(store.list("jobs/j3")).isEmpty();
  }

  @Test
  void deleteMissingKeyIsNoop() {
    store.delete("never/written");
    store.put("a/b", new byte[] {1});
    store.delete("a/c");
    store.delete("a");

    assertThat(store.list("")).containsExactly("a/b");
  }

  @Test
  void deleteRemovesObjectAndKeysCanBeWrittenAgain() {
    store.put("a/b/c", new byte[] {1});
    store.put("a/d", new byte[] {2});

    store.delete("a/b/c");
    assertThat(store.exists("a/b/c")).isFalse();
    assertThat(store.list("")).containsExactly("a/d");

    store.put("a/b/c", new byte[] {3});
    assertThat(store.read("a/b/c")).hasValueSatisfying(v -> assertThat(v).containsExactly(3));
  }

  @Test
  void streamingPutOfLargeObject() throws IOException {
    byte[] data = randomBytes(8 * 1024 * 1024, 4);
    TrackingInputStream in = new TrackingInputStream(data);

    store.put("large/object", in, data.length);

    assertThat(in.closed).as("put must not close the caller's stream").isFalse();
    assertThat(store.size("large/object")).hasValue((long) data.length);
    try (InputStream stored = store.open("large/object").orElseThrow()) {
      assertThat(Arrays.equals(stored.readAllBytes(), data)).isTrue();
    }
  }

  @Test
  void streamingPutStoresExactlyLengthBytes() {
    byte[] data = randomBytes(1000, 5);

    store.put("k", new ByteArrayInputStream(data), 600);

    assertThat(store.read("k"))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(Arrays.copyOf(data, 600)));
  }

  @Test
  void putWithShortStreamFails() {
    store.put("existing", "old".getBytes(UTF_8));

    assertThatThrownBy(() -> store.put("existing", new ByteArrayInputStream(new byte[10]), 20))
        .isInstanceOf(StorageException.class)
        .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse());
    assertThatThrownBy(() -> store.put("fresh", new ByteArrayInputStream(new byte[10]), 100_000))
        .isInstanceOf(StorageException.class);

    assertThat(store.read("existing"))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo("old".getBytes(UTF_8)));
    assertThat(store.exists("fresh")).isFalse();
    assertThat(store.list("")).containsExactly("existing");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../x",
        "/etc/passwd",
        "a/../b",
        "a//b",
        "%2e%2e/x",
        "a\\b",
        "a\u0000b",
        "a\nb",
        "..",
        ".",
        "a/",
        "",
        "C:/x",
        "a/./b"
      })
  void rejectsTraversalAndAbsoluteKeys(String key) {
    byte[] data = {1};
    assertThatThrownBy(() -> store.put(key, data)).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(data), 1))
        .isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> store.open(key)).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> store.read(key)).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> store.size(key)).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> store.exists(key)).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(InvalidKeyException.class);
    assertThat(store.list("")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"../", "/", "/etc", "a//", "%2e%2e/", "a\\"})
  void rejectsTraversalAndAbsolutePrefixes(String prefix) {
    assertThatThrownBy(() -> store.list(prefix)).isInstanceOf(InvalidKeyException.class);
  }

  @Test
  void concurrentWritersOfSameKeyLeaveOneWholeObject() throws Exception {
    int writers = 6;
    int rounds = 15;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean done = new AtomicBoolean();
      ConcurrentLinkedQueue<String> torn = new ConcurrentLinkedQueue<>();
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 1; w <= writers; w++) {
        byte[] value = filled(w);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int r = 0; r < rounds; r++) {
                    store.put("contended/key", value);
                  }
                  return null;
                }));
      }
      Future<?> reader =
          pool.submit(
              () -> {
                start.await();
                while (!done.get()) {
                  store.read("contended/key").ifPresent(v -> checkWhole(v, torn));
                }
                return null;
              });
      start.countDown();
      for (Future<?> f : futures) {
        f.get(50, TimeUnit.SECONDS);
      }
      done.set(true);
      reader.get(10, TimeUnit.SECONDS);

      assertThat(torn).as("torn reads").isEmpty();
      byte[] last = store.read("contended/key").orElseThrow();
      checkWhole(last, torn);
      assertThat(torn).isEmpty();
      assertThat(store.list("")).containsExactly("contended/key");
    } finally {
      pool.shutdownNow();
    }
  }

  private static byte[] filled(int writer) {
    byte[] value = new byte[64 * 1024 + writer * 1000];
    Arrays.fill(value, (byte) writer);
    return value;
  }

  private static void checkWhole(byte[] v, ConcurrentLinkedQueue<String> torn) {
    if (v.length == 0) {
      torn.add("empty");
      return;
    }
    int writer = v[0];
    if (v.length != 64 * 1024 + writer * 1000) {
      torn.add("length " + v.length + " for writer " + writer);
      return;
    }
    for (byte b : v) {
      if (b != writer) {
        torn.add("mixed content for writer " + writer);
        return;
      }
    }
  }

  @Test
  void emptyObjectRoundTrips() throws IOException {
    store.put("empty", new byte[0]);
    store.put("empty-stream", InputStream.nullInputStream(), 0);

    for (String key : List.of("empty", "empty-stream")) {
      assertThat(store.read(key)).hasValueSatisfying(v -> assertThat(v).isEmpty());
      assertThat(store.size(key)).hasValue(0L);
      assertThat(store.exists(key)).isTrue();
      try (InputStream in = store.open(key).orElseThrow()) {
        assertThat(in.read()).isEqualTo(-1);
      }
    }
    assertThat(store.list("")).containsExactly("empty", "empty-stream");
  }

  @Test
  void sizeReportsLength() {
    store.put("one", new byte[1]);
    store.put("many", randomBytes(123_457, 6));

    assertThat(store.size("one")).hasValue(1L);
    assertThat(store.size("many")).hasValue(123_457L);
    assertThat(store.size("none")).isEmpty();
  }

  @Test
  void keysUseTheWholeAllowedAlphabet() {
    String key = "A-Z_a.z=0+9@x/tenant=t1/job@2/r+1/.hidden/..dots";
    store.put(key, new byte[] {7});

    assertThat(store.read(key)).hasValueSatisfying(v -> assertThat(v).containsExactly(7));
    assertThat(store.list("A-Z")).containsExactly(key);
  }

  /** Records whether {@link #close()} was called. */
  private static final class TrackingInputStream extends ByteArrayInputStream {
    volatile boolean closed;

    TrackingInputStream(byte[] data) {
      super(data);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
