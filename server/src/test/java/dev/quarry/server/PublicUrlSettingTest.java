package dev.quarry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code quarry.public-url}: where Lambda workers call the server back (ADR 0024). */
class PublicUrlSettingTest {

  private static QuarryProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("quarry", QuarryProperties.class);
  }

  @Test
  void isEmptyByDefaultAndLosesATrailingSlash() {
    assertThat(bind(Map.of()).publicUrl()).isEmpty();
    assertThat(bind(Map.of("quarry.public-url", "https://quarry.example.com/")).publicUrl())
        .isEqualTo("https://quarry.example.com");
    assertThat(bind(Map.of("quarry.public-url", "http://10.0.0.5:8080/quarry")).publicUrl())
        .isEqualTo("http://10.0.0.5:8080/quarry");
  }

  @Test
  void refusesWhatIsNotAPlainHttpUrlNamingTheSetting() {
    for (String bad :
        new String[] {
          "quarry.example.com",
          "ftp://quarry.example.com",
          "https://user:pw@quarry.example.com",
          "https://quarry.example.com/?x=1",
          "https://quarry.example.com/#f",
          "http://",
          "https://exa mple.com",
        }) {
      assertThatThrownBy(() -> bind(Map.of("quarry.public-url", bad)))
          .as(bad)
          .isInstanceOf(BindException.class)
          .hasStackTraceContaining("IllegalArgumentException: quarry.public-url ");
    }
  }
}
