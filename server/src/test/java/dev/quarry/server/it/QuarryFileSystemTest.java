package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code quarry://bucket/path} through {@link Files}, against the real server. */
class QuarryFileSystemTest {
  static FileSystem fs;
  static String bucket;

  @BeforeAll
  static void start() throws Exception {
    TestServer server = TestServer.get();
    bucket = "nio-" + UUID.randomUUID().toString().substring(0, 8);
    fs =
        FileSystems.newFileSystem(
            URI.create("quarry://" + bucket),
            Map.of("target", server.grpcTarget(), "apiKey", server.apiKey));
  }

  @AfterAll
  static void stop() throws Exception {
    fs.close();
  }

  @Test
  void filesWritesReadsListsWalksAndDeletesObjects() throws Exception {
    // the installed provider (META-INF/services) maps the URI onto the open file system
    Path report = Path.of(URI.create("quarry://" + bucket + "/reports/2026/nov.csv"));
    assertThat(report.getFileSystem()).isSameAs(fs);
    try (BufferedWriter w = Files.newBufferedWriter(report)) {
      w.write("a,b\n1,2\n");
    }
    assertThat(Files.exists(report)).isTrue();
    assertThat(Files.size(report)).isEqualTo(8);
    assertThat(Files.readString(report)).isEqualTo("a,b\n1,2\n");
    try (InputStream in = Files.newInputStream(report)) {
      assertThat(in.readNBytes(3)).isEqualTo("a,b".getBytes());
    }
    Files.writeString(fs.getPath("/reports/2026/dec.csv"), "x");
    Files.write(fs.getPath("/reports/summary.txt"), List.of("one", "two"));

    Path reports = fs.getPath("/reports");
    assertThat(Files.isDirectory(reports)).isTrue();
    try (Stream<Path> list = Files.list(reports)) {
      assertThat(list.map(Path::toString)).containsExactly("/reports/2026", "/reports/summary.txt");
    }
    try (Stream<Path> all = Files.walk(reports)) {
      assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .containsExactly("dec.csv", "nov.csv", "summary.txt");
    }
    assertThat(report.toUri())
        .isEqualTo(URI.create("quarry://" + bucket + "/reports/2026/nov.csv"));

    Path copy = fs.getPath("/copies/nov.csv");
    Files.copy(report, copy);
    assertThat(Files.readString(copy)).isEqualTo("a,b\n1,2\n");
    assertThatThrownBy(() -> Files.copy(report, copy))
        .isInstanceOf(FileAlreadyExistsException.class);
    Files.move(copy, fs.getPath("/copies/moved.csv"), StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.exists(copy)).isFalse();

    assertThatThrownBy(() -> Files.delete(reports)).isInstanceOf(DirectoryNotEmptyException.class);
    Files.delete(report);
    assertThat(Files.exists(report)).isFalse();
    assertThatThrownBy(() -> Files.delete(report)).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> Files.readString(report)).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> Files.list(fs.getPath("/nothing-here")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void pathsResolveAndNormalizeInsideTheBucket() {
    Path p = fs.getPath("/a/b/../c/./d.txt");
    assertThat(p.normalize().toString()).isEqualTo("/a/c/d.txt");
    assertThat(fs.getPath("/../../etc/passwd").normalize().toString()).isEqualTo("/etc/passwd");
    assertThat(fs.getPath("/a").resolve("b/c").toString()).isEqualTo("/a/b/c");
    assertThat(fs.getPath("/a/b").relativize(fs.getPath("/a/c/d")).toString()).isEqualTo("../c/d");
    assertThat(fs.getPath("/a/b/c").getParent()).isEqualTo(fs.getPath("/a/b"));
    assertThat(fs.getPath("/a/b/c").startsWith(fs.getPath("/a"))).isTrue();
    assertThat(fs.getPathMatcher("glob:**.csv").matches(fs.getPath("/x/y.csv"))).isTrue();
  }
}
