package dev.quarry.server.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rate's text is what {@code String.format("%.1f")} wrote before it. */
class ProgressTest {
  @Test
  void tenthsAreWrittenAsTheFormatterWritesThem() {
    double[] values = {0, 0.04, 0.06, 0.15, 0.95, 1, 9.99, 10.05, 123.44, 2_000.5, 1e9 + 0.26};
    for (double v : values) {
      assertThat(Progress.tenths(v)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.1f", v));
    }
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      double v = random.nextInt(100_000) / 100.0 + 0.001; // away from the half-way ties
      assertThat(Progress.tenths(v)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.1f", v));
    }
  }
}
