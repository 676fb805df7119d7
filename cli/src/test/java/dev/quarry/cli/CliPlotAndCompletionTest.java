package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code jobs plot} writes real PNGs; {@code generate-completion} writes a bash completion script.
 */
class CliPlotAndCompletionTest {
  static CliServer server;
  @TempDir Path home;

  @BeforeAll
  static void start() throws Exception {
    server = CliServer.get();
  }

  @Test
  void plotWritesValidNonTrivialPngs() throws Exception {
    Cli cli = Cli.forServer(server, home);
    Cli.Result submitted =
        cli.stdin("[{\"ms\":5},{\"ms\":40},{\"ms\":80},{\"ms\":120},\"x\",{\"ms\":10}]")
            .run("submit", "sleep", "--inputs", "-", "--no-wait", "-o", "json");
    String id = JsonMapper.builder().build().readTree(submitted.out()).get("id").asString();
    Path dir = home.resolve("plots");
    Cli.Result r = cli.run("jobs", "plot", id, "--dir", dir.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    for (String name : new String[] {id + "-histogram.png", id + "-timeline.png"}) {
      Path png = dir.resolve(name);
      assertThat(r.out()).contains(png.toString());
      assertThat(Files.size(png)).as(name).isGreaterThan(10_000);
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image).as(name + " is a PNG").isNotNull();
      assertThat(image.getWidth()).isEqualTo(1000);
      assertThat(image.getHeight()).isEqualTo(600);
      java.util.Set<Integer> colours = new java.util.HashSet<>();
      for (int x = 0; x < image.getWidth(); x += 7) {
        for (int y = 0; y < image.getHeight(); y += 7) {
          colours.add(image.getRGB(x, y));
        }
      }
      assertThat(colours).as(name + ": a drawn chart, not a flat image").hasSizeGreaterThan(5);
    }
    // the timeline draws each future as a bar from start to end: green succeeded, red failed ("x")
    BufferedImage timeline = ImageIO.read(dir.resolve(id + "-timeline.png").toFile());
    java.util.Map<Integer, Integer> pixels = new java.util.HashMap<>();
    for (int x = 0; x < timeline.getWidth(); x++) {
      for (int y = 0; y < timeline.getHeight(); y++) {
        pixels.merge(timeline.getRGB(x, y) & 0xffffff, 1, Integer::sum);
      }
    }
    assertThat(pixels.getOrDefault(0x2e7d32, 0)).as("succeeded bars").isGreaterThan(200);
    assertThat(pixels.getOrDefault(0xc62828, 0)).as("failed bar").isGreaterThan(20);
    assertThat(
            cli.run("jobs", "plot", "00000000-0000-0000-0000-000000000000", "--dir", dir.toString())
                .code())
        .isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void generateCompletionPrintsABashScriptForEveryCommand() {
    Cli.Result r = new Cli(home).run("generate-completion");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("complete -F")
        .contains("_picocli_quarry")
        .contains("retry-failed")
        .contains("credentials")
        .contains("--output");
  }
}
