package dev.quarry.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.worker.Builtins;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltinFunctionsTest {

  @Test
  void namesListsEveryBuiltinSorted() {
    assertThat(Builtins.names()).containsExactly("checksum", "echo", "fail", "noop", "sleep");
  }

  @Test
  void checksumHashesCanonicalJsonIndependentOfKeyOrder() {
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", 1);
    ab.put("b", List.of(true, "x"));
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", List.of(true, "x"));
    ba.put("a", 1);

    ChecksumFunction checksum = new ChecksumFunction();

    assertThat(checksum.apply(ab)).isEqualTo(checksum.apply(ba));
    assertThat(checksum.apply(ab))
        .isEqualTo(
            ChecksumFunction.sha256Hex(
                "{\"a\":1,\"b\":[true,\"x\"]}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void sleepReturnsTheMillisecondsOrTheGivenValue() {
    SleepFunction sleep = new SleepFunction();

    assertThat(sleep.apply(5)).isEqualTo(5);
    assertThat(sleep.apply(Map.of("ms", 1, "value", "done"))).isEqualTo("done");
    assertThatThrownBy(() -> sleep.apply("soon")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sleep.apply(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failThrowsWithTheInputAsMessage() {
    FailFunction fail = new FailFunction();

    assertThatThrownBy(() -> fail.apply("bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad");
    assertThatThrownBy(() -> fail.apply(Map.of("k", 1))).hasMessage("{\"k\":1}");
  }

  @Test
  void echoReturnsItsInputAndNoopReturnsNull() {
    assertThat(new EchoFunction().apply(List.of(1))).isEqualTo(List.of(1));
    assertThat(new NoopFunction().apply("x")).isNull();
  }
}
