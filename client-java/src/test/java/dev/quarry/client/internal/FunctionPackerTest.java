package dev.quarry.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.SerializableFunction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionPackerTest {
  @TempDir Path tmp;

  private Path classesDir() throws IOException {
    Path dir = tmp.resolve("classes");
    Files.createDirectories(dir.resolve("com/example/sub"));
    Files.writeString(dir.resolve("com/example/A.class"), "class A");
    Files.writeString(dir.resolve("com/example/sub/B.class"), "class B");
    Files.writeString(dir.resolve("app.properties"), "x=1");
    return dir;
  }

  @Test
  void aDirectoryPacksIntoTheSameBytesEveryTime() throws IOException {
    Path dir = classesDir();
    byte[] first = DirectoryJar.write(DirectoryJar.scan(dir));
    // a copy of the tree with other timestamps packs to the same bytes
    Path copy = tmp.resolve("copy");
    for (DirectoryJar.Entry e : DirectoryJar.scan(dir)) {
      Path target = copy.resolve(e.name());
      if (e.directory()) {
        Files.createDirectories(target);
      } else {
        Files.createDirectories(target.getParent());
        Files.copy(e.path(), target);
        Files.setLastModifiedTime(target, FileTime.fromMillis(123_456_789L));
      }
    }
    byte[] second = DirectoryJar.write(DirectoryJar.scan(copy));
    assertThat(second).isEqualTo(first);
    assertThat(DirectoryJar.of(dir).digest()).isEqualTo(Digests.of(first));
    assertThat(DirectoryJar.of(dir)).isSameAs(DirectoryJar.of(dir));
  }

  @Test
  void theJarHasSortedEntriesAndFixedTimes() throws IOException {
    Path dir = classesDir();
    List<String> names = new ArrayList<>();
    try (var zip =
        new ZipInputStream(new ByteArrayInputStream(DirectoryJar.write(DirectoryJar.scan(dir))))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        names.add(e.getName());
        assertThat(e.getTimeLocal()).isEqualTo(DirectoryJar.ENTRY_TIME);
      }
    }
    assertThat(names)
        .containsExactly(
            "app.properties",
            "com/",
            "com/example/",
            "com/example/A.class",
            "com/example/sub/",
            "com/example/sub/B.class");
    List<String> sorted = new ArrayList<>(names);
    Collections.sort(sorted);
    assertThat(names).isEqualTo(sorted);
  }

  @Test
  void aChangedFileChangesTheDigest() throws IOException {
    Path dir = classesDir();
    String before = DirectoryJar.of(dir).digest();
    Path a = dir.resolve("com/example/A.class");
    Files.writeString(a, "class A, version 2");
    String after = DirectoryJar.of(dir).digest();
    assertThat(after).isNotEqualTo(before);
    Files.writeString(dir.resolve("com/example/C.class"), "new");
    assertThat(DirectoryJar.of(dir).digest()).isNotEqualTo(after);
  }

  @Test
  void theBlobOfAPackedDirectoryHasItsDigest() throws IOException {
    DirectoryJar.Packed packed = DirectoryJar.of(classesDir());
    try (var in = packed.open()) {
      byte[] bytes = in.readAllBytes();
      assertThat(Digests.of(bytes)).isEqualTo(packed.digest());
      assertThat((long) bytes.length).isEqualTo(packed.size());
    }
  }

  @Test
  void jarsAreHashedAsTheyAreAndJdkAndMissingEntriesAreSkipped() throws IOException {
    Path jar = tmp.resolve("lib.jar");
    Files.write(jar, "not really a jar".getBytes(StandardCharsets.UTF_8));
    Path jdkEntry = Path.of(System.getProperty("java.home"), "lib");
    List<Blob> blobs =
        ClasspathBundle.resolve(
            List.of(jar, tmp.resolve("missing.jar"), jdkEntry, jar, classesDir()));
    assertThat(blobs).hasSize(2);
    assertThat(blobs.get(0)).isInstanceOf(Blob.FileBlob.class);
    assertThat(blobs.get(0).digest()).isEqualTo(Digests.of(Files.readAllBytes(jar)));
    assertThat(blobs.get(1)).isInstanceOf(DirectoryJar.Packed.class);
  }

  @Test
  void theSystemClasspathHasNoJdkEntries() throws IOException {
    List<Blob> blobs = ClasspathBundle.resolve(ClasspathBundle.systemClasspath());
    String javaHome = Path.of(System.getProperty("java.home")).toRealPath().toString();
    assertThat(blobs).isNotEmpty().noneMatch(b -> b.describe().startsWith(javaHome));
    assertThat(blobs).extracting(Blob::digest).doesNotHaveDuplicates();
  }

  @Test
  void manifestClassPathEntriesAreFollowed() throws IOException {
    Path dep = tmp.resolve("lib/dep.jar");
    Files.createDirectories(dep.getParent());
    Files.writeString(dep, "dependency");
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/dep.jar lib/absent.jar");
    Path launcher = tmp.resolve("launcher.jar");
    try (var out = new JarOutputStream(Files.newOutputStream(launcher), m)) {
      out.putNextEntry(new ZipEntry("x.txt"));
    }
    List<Blob> blobs = ClasspathBundle.resolve(List.of(launcher));
    assertThat(blobs)
        .extracting(Blob::describe)
        .containsExactly(launcher.toString(), dep.toString());
  }

  @Test
  void aLambdaRoundTripsThroughObjectInputStream() throws Exception {
    int offset = 41;
    SerializableFunction<Integer, Integer> fn = x -> x + offset;
    PackedFunction packed = new FunctionPacker(List.of(classesDir())).pack(fn);
    byte[] payload;
    try (var in = packed.payload().open()) {
      payload = in.readAllBytes();
    }
    assertThat(packed.payload().digest()).isEqualTo(Digests.of(payload));
    try (var in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
      @SuppressWarnings("unchecked")
      SerializableFunction<Integer, Integer> back =
          (SerializableFunction<Integer, Integer>) in.readObject();
      assertThat(back.apply(1)).isEqualTo(42);
    }
    assertThat(packed.jars()).hasSize(1);
    assertThat(packed.key()).startsWith(packed.payload().digest() + "|");
  }

  @Test
  void theSameLambdaPacksToTheSameKey() {
    FunctionPacker packer = new FunctionPacker(null);
    SerializableFunction<String, Integer> fn = String::length;
    assertThat(packer.pack(fn).key()).isEqualTo(packer.pack(fn).key());
  }

  @Test
  void theRegistryKeyNamesThePayloadAndTheJarsWithoutListingThem() throws IOException {
    Path dir = classesDir();
    FunctionPacker packer = new FunctionPacker(List.of(dir), java.time.Duration.ofHours(1));
    SerializableFunction<Integer, Integer> fn = x -> x;
    PackedFunction packed = packer.pack(fn);
    assertThat(packed.jarsDigest()).isEqualTo(PackedFunction.jarsDigest(packed.jars()));
    assertThat(packed.registryKey())
        .isEqualTo(packed.payload().digest() + "|" + packed.jarsDigest());
    assertThat(new PackedFunction(packed.payload(), packed.jars()).registryKey())
        .isEqualTo(packed.registryKey());
    // other jars, another key
    Files.writeString(dir.resolve("com/example/A.class"), "changed");
    PackedFunction rebuilt = new FunctionPacker(List.of(dir)).pack(fn);
    assertThat(rebuilt.registryKey()).isNotEqualTo(packed.registryKey());
    assertThat(rebuilt.registryKey()).startsWith(packed.payload().digest() + "|");
  }

  @Test
  void aNonSerializableCaptureIsRejected() {
    Object notSerializable = new Object();
    SerializableFunction<Integer, Integer> fn = x -> x + notSerializable.hashCode();
    assertThatThrownBy(() -> FunctionPacker.serializeFunction(fn))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("java.io.Serializable");
  }

  @Test
  void resultsDeserializeWithTheGivenLoaders() throws Exception {
    byte[] data = ObjectStreams.serialize(List.of("a", 1));
    Object back =
        ObjectStreams.deserialize(
            new ByteArrayInputStream(data), List.of(getClass().getClassLoader()));
    assertThat(back).isEqualTo(List.of("a", 1));
    assertThat(
            ObjectStreams.deserialize(
                new ByteArrayInputStream(ObjectStreams.serialize(null)), List.of()))
        .isNull();
  }

  @Test
  void thePackerRechecksTheClasspathAfterTheInterval() throws IOException {
    Path dir = classesDir();
    SerializableFunction<Integer, Integer> fn = x -> x;
    FunctionPacker everyCall = new FunctionPacker(List.of(dir));
    FunctionPacker lazy = new FunctionPacker(List.of(dir), java.time.Duration.ofHours(1));
    String before = everyCall.pack(fn).jarDigests().getFirst();
    assertThat(lazy.pack(fn).jarDigests().getFirst()).isEqualTo(before);
    Files.writeString(dir.resolve("com/example/A.class"), "changed");
    assertThat(everyCall.pack(fn).jarDigests().getFirst()).isNotEqualTo(before);
    assertThat(lazy.pack(fn).jarDigests().getFirst()).isEqualTo(before);
  }
}
