package dev.quarry.backend.internal.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.proto.v1.PlatformReport;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class InvocationReportsTest {

  private static String tail(String log) {
    return Base64.getEncoder().encodeToString(log.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aColdReportHasInitDurationAndEveryFigure() {
    PlatformReport r =
        InvocationReports.parse(
            tail(
                "START RequestId: 1 Version: $LATEST\nhello\nEND RequestId: 1\n"
                    + "REPORT RequestId: 1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\t"
                    + "Max Memory Used: 87 MB\tInit Duration: 456.78 ms\t\n"));
    assertThat(r.getColdStart()).isTrue();
    assertThat(r.getDurationMs()).isEqualTo(12.34);
    assertThat(r.getBilledDurationMs()).isEqualTo(13);
    assertThat(r.getMemorySizeMb()).isEqualTo(512);
    assertThat(r.getMaxMemoryUsedMb()).isEqualTo(87);
    assertThat(r.getInitDurationMs()).isEqualTo(456.78);
  }

  @Test
  void aWarmReportIsNotCold() {
    PlatformReport r =
        InvocationReports.parse(
            tail(
                "REPORT RequestId: 2\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t"));
    assertThat(r.getColdStart()).isFalse();
    assertThat(r.getBilledDurationMs()).isEqualTo(1);
    assertThat(r.getDurationMs()).isEqualTo(1.0);
  }

  @Test
  void missingOrGarbledTailsGiveAnEmptyReport() {
    assertThat(InvocationReports.parse(null)).isEqualTo(PlatformReport.getDefaultInstance());
    assertThat(InvocationReports.parse("")).isEqualTo(PlatformReport.getDefaultInstance());
    assertThat(InvocationReports.parse("%%% not base64"))
        .isEqualTo(PlatformReport.getDefaultInstance());
    assertThat(InvocationReports.parse(tail("just logs\n")))
        .isEqualTo(PlatformReport.getDefaultInstance());
  }
}
