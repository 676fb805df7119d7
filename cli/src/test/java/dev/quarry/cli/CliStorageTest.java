package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quarry storage put|get|ls|rm|cp} against a real server. */
class CliStorageTest {
  /** A CLI for the shared test server, with its home in {@code home}. */
  private static Cli cliIn(Path home) throws Exception {
    return Cli.forServer(CliServer.get(), home);
  }

  @Test
  void putGetLsCpAndRmRoundTripObjects(@TempDir Path home) throws Exception {
    Cli cli = cliIn(home);
    String bucket = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    Path file = home.resolve("report.csv");
    Files.writeString(file, "a,b\n1,2\n");

    Cli.Result put = cli.run("storage", "put", file.toString(), bucket + "/in/report.csv");
    assertThat(put.code()).as(put.toString()).isZero();
    assertThat(put.err()).contains("quarry://" + bucket + "/in/report.csv (8 bytes)");
    Cli.Result fromStdin =
        cli.stdin("piped text").run("storage", "cp", "-", "quarry://" + bucket + "/in/piped.txt");
    assertThat(fromStdin.code()).as(fromStdin.toString()).isZero();
    Cli.Result remoteCopy =
        cli.run(
            "storage",
            "cp",
            "quarry://" + bucket + "/in/report.csv",
            "quarry://" + bucket + "/out/copy.csv");
    assertThat(remoteCopy.code()).as(remoteCopy.toString()).isZero();

    Cli.Result ls = cli.run("storage", "ls", bucket + "/in/");
    assertThat(ls.code()).as(ls.toString()).isZero();
    assertThat(ls.out()).contains("KEY", "in/report.csv", "in/piped.txt").doesNotContain("out/");
    Cli.Result json = cli.run("storage", "ls", "quarry://" + bucket, "-o", "json");
    assertThat(json.out()).contains("\"key\" : \"out/copy.csv\"", "\"size\" : 8");

    assertThat(cli.run("storage", "get", bucket + "/in/piped.txt").out()).isEqualTo("piped text");
    Path copy = home.resolve("copy.csv");
    assertThat(
            cli.run("storage", "cp", "quarry://" + bucket + "/out/copy.csv", copy.toString())
                .code())
        .isZero();
    assertThat(Files.readString(copy)).isEqualTo("a,b\n1,2\n");
    Path dir = Files.createDirectory(home.resolve("downloads"));
    assertThat(cli.run("storage", "get", bucket + "/in/report.csv", dir.toString()).code())
        .isZero();
    assertThat(dir.resolve("report.csv")).hasContent("a,b\n1,2\n");

    Cli.Result rm = cli.run("storage", "rm", bucket + "/out/copy.csv");
    assertThat(rm.err()).contains("deleted 1 object");
    Cli.Result rmAll = cli.run("storage", "rm", "-r", bucket + "/in/");
    assertThat(rmAll.err()).contains("deleted 2 objects");
    assertThat(cli.run("storage", "ls", bucket).out().strip())
        .isEqualTo("KEY  SIZE  MODIFIED  ETAG");
  }

  @Test
  void missingObjectsAndBadNamesFailWithTheirExitCodes(@TempDir Path home) throws Exception {
    Cli cli = cliIn(home);
    Cli.Result missing = cli.run("storage", "get", "cli-bucket/none.txt");
    assertThat(missing.code()).as(missing.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).contains("none.txt");
    Cli.Result traversal = cli.run("storage", "put", "-", "cli-bucket/../escape");
    assertThat(traversal.code()).as(traversal.toString()).isNotZero();
    assertThat(traversal.err()).contains("'..'");
    Cli.Result noKey = cli.run("storage", "get", "cli-bucket");
    assertThat(noKey.code()).isEqualTo(ExitCodes.USAGE);
    Cli.Result local = cli.run("storage", "cp", "a.txt", "b.txt");
    assertThat(local.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(local.err()).contains("quarry://");
  }
}
