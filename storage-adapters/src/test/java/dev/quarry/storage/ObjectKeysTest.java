package dev.quarry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "a/b/c",
        "tenants/t1/jobs/j1/results/0.1",
        "A-Z_a.z=0+9@x",
        ".hidden",
        "..dots",
        "dots..",
        "a/.b/c.",
        "...",
        "key=value/x@y+z"
      })
  void acceptsValidKeys(String key) {
    assertThat(ObjectKeys.validate(key)).isSameAs(key);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "\"\"         | empty",
        "/etc/passwd  | relative",
        "/            | relative",
        "a/           | end with '/'",
        "a//b         | empty segment",
        "../x         | '..' segment",
        "a/../b       | '..' segment",
        "a/..         | '..' segment",
        "./a          | '.' segment",
        "a/./b        | '.' segment",
        "%2e%2e/x     | '%'",
        "a%2Fb        | '%'",
        "a\\b         | backslash",
        "C:/x         | ':'",
        "a:b          | ':'",
        "a b          | not allowed",
        "a*b          | not allowed",
        "a?b          | not allowed",
        "a~b          | not allowed",
        "a#b          | not allowed",
        "é            | not allowed",
      })
  void rejectsInvalidKeys(String key, String reason) {
    assertThatThrownBy(() -> ObjectKeys.validate(key))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "a\tb", "a\nb", "a\rb", "a\u001fb", "a\u007fb"})
  void rejectsControlCharactersWithoutEchoingThem(String key) {
    assertThatThrownBy(() -> ObjectKeys.validate(key))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("control character")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("[\\x00-\\x1f\\x7f]"));
  }

  @Test
  void rejectsKeysLongerThan1024Characters() {
    assertThat(ObjectKeys.validate("a".repeat(1024))).hasSize(1024);
    assertThatThrownBy(() -> ObjectKeys.validate("a".repeat(1025)))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("1024");
  }

  @Test
  void invalidKeysAreNotRetryable() {
    assertThatThrownBy(() -> ObjectKeys.validate("../x"))
        .isInstanceOfSatisfying(
            InvalidKeyException.class, e -> assertThat(e.retryable()).isFalse());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "a/", "a/b/", "a/b", "jobs/j1", "x."})
  void acceptsValidPrefixes(String prefix) {
    ObjectKeys.validatePrefix(prefix);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/", "/a", "a//", "a//b/", "../", "a/../", "./", "%2e/", "a\\", "a\u0001/"})
  void rejectsInvalidPrefixes(String prefix) {
    assertThatThrownBy(() -> ObjectKeys.validatePrefix(prefix))
        .isInstanceOf(InvalidKeyException.class);
  }

  @Test
  void joinValidatesSegments() {
    assertThat(ObjectKeys.join("tenants", "t1", "jobs", "j1")).isEqualTo("tenants/t1/jobs/j1");
    assertThat(ObjectKeys.join("one")).isEqualTo("one");
    assertThatThrownBy(() -> ObjectKeys.join()).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> ObjectKeys.join("a/b", "c"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("'/'");
    assertThatThrownBy(() -> ObjectKeys.join("a", "..")).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> ObjectKeys.join("a", "")).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> ObjectKeys.join("a", "b c")).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> ObjectKeys.join("a".repeat(600), "b".repeat(600)))
        .isInstanceOf(InvalidKeyException.class);
  }

  @Test
  void isValidAnswersWhatValidateDecides() {
    assertThat(ObjectKeys.isValid("jobs/j1/result")).isTrue();
    assertThat(ObjectKeys.isValid("jobs/../secret")).isFalse();
    assertThat(ObjectKeys.isValid("dir/")).isFalse();
    assertThat(ObjectKeys.isValid("")).isFalse();
  }

  @Test
  void directoryPrefixEndsWithOneSlashAndIsValidated() {
    assertThat(ObjectKeys.directoryPrefix(null)).isEmpty();
    assertThat(ObjectKeys.directoryPrefix("team")).isEqualTo("team/");
    assertThat(ObjectKeys.directoryPrefix("team/a/")).isEqualTo("team/a/");
    assertThatThrownBy(() -> ObjectKeys.directoryPrefix("../up"))
        .isInstanceOf(InvalidKeyException.class);
  }
}
