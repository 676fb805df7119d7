package dev.quarry.server.storage;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.server.api.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"team-a", "abc", "my.bucket.2026", "0team", "a-b-c-d"})
  void acceptsS3BucketNames(String name) {
    assertThatCode(() -> BucketNames.validate(name)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "ab",
        "Team-A",
        "team_a",
        "-team",
        "team-",
        "team..a",
        "192.168.1.10",
        "xn--team",
        "sthree-team",
        "team-s3alias",
        "team--ol-s3",
        "team.mrap",
        "team--x-s3",
        "team/a",
        "team a",
        "tеam-a", // a Cyrillic 'е'
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void refusesWhatS3Refuses(String name) {
    assertThatThrownBy(() -> BucketNames.validate(name))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("bucket");
  }
}
