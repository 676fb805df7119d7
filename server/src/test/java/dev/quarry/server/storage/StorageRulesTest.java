package dev.quarry.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.storage.internal.StorageNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Name rules and byte ranges of the Storage API, without a server. */
class StorageRulesTest {
  @Test
  void refusesEveryBadBucketKeyAndPrefixWithItsReason() {
    for (String bucket : List.of("ab", "A-b", "-ab", "ab-", "a..b", "a/b", "a_b", "x".repeat(64))) {
      assertThatThrownBy(() -> StorageNames.bucket(bucket))
          .as(bucket)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_OBJECT_NAME));
    }
    for (String key :
        List.of(
            "",
            "/abs",
            "../up",
            "a/../b",
            "a/./b",
            "a//b",
            "dir/",
            "a\\b",
            "%2e%2e/x",
            "a;b",
            "nul\u0000",
            "tab\t",
            "del\u007f",
            "c1\u0085",
            "half\ud800",
            "é".repeat(513))) {
      assertThatThrownBy(() -> StorageNames.key(key))
          .as(key)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_OBJECT_NAME));
    }
    assertThat(StorageNames.key("logs/2026/café ☕ 😀.txt")).isNotEmpty();
    assertThat(StorageNames.key("k".repeat(1024))).hasSize(1024);
    assertThat(StorageNames.prefix("")).isEmpty();
    assertThat(StorageNames.prefix("logs/")).isEqualTo("logs/");
    assertThatThrownBy(() -> StorageNames.prefix("../")).isInstanceOf(ApiException.class);
    assertThat(StorageNames.decodeToken(StorageNames.encodeToken("a/é"))).isEqualTo("a/é");
    assertThatThrownBy(() -> StorageNames.decodeToken("Li4vZXNjYXBl")) // "../escape"
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_OBJECT_NAME));
  }

  @Test
  void resolvesHttpRangesAndRefusesOnesPastTheEnd() {
    assertThat(RangeRequest.parseHeader("bytes=2-5").orElseThrow().resolve(20))
        .containsExactly(2, 4);
    assertThat(RangeRequest.parseHeader("bytes=15-").orElseThrow().resolve(20))
        .containsExactly(15, 5);
    assertThat(RangeRequest.parseHeader("bytes=-3").orElseThrow().resolve(20))
        .containsExactly(17, 3);
    assertThat(RangeRequest.parseHeader("bytes=-50").orElseThrow().resolve(20))
        .containsExactly(0, 20);
    assertThat(RangeRequest.parseHeader("bytes=18-100").orElseThrow().resolve(20))
        .containsExactly(18, 2);
    assertThat(RangeRequest.of(4, 0).resolve(20)).containsExactly(4, 16);
    for (String ignored :
        List.of("bytes=0-1,4-5", "items=0-1", "bytes=5-2", "bytes=x-", "bytes=-")) {
      assertThat(RangeRequest.parseHeader(ignored)).as(ignored).isEmpty();
    }
    for (String past : List.of("bytes=20-", "bytes=-0")) {
      assertThatThrownBy(() -> RangeRequest.parseHeader(past).orElseThrow().resolve(20))
          .as(past)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(ErrorReason.RANGE_NOT_SATISFIABLE);
                assertThat(e.metadata()).containsEntry("size", "20");
              });
    }
    assertThatThrownBy(() -> RangeRequest.parseHeader("bytes=-5").orElseThrow().resolve(0))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> RangeRequest.of(-1, 5)).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> RangeRequest.of(0, -5)).isInstanceOf(ApiException.class);
  }
}
