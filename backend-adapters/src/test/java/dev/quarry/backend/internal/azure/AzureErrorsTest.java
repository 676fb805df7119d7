package dev.quarry.backend.internal.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class AzureErrorsTest {

  @Test
  void aRefusedKeyOrAMissingAppIsPermanentAndSaysSo() {
    BackendException key = AzureErrors.invoke(401, "", "app1");
    BackendException missing = AzureErrors.invoke(404, "", "app1");

    assertThat(key.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(key.getMessage()).contains("refused the function key").contains("app1");
    assertThat(missing.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(AzureErrors.invoke(403, "Forbidden", "app1").kind()).isEqualTo(Kind.PERMANENT);
  }

  @Test
  void throttlingScaleOutAndGatewayErrorsAreTransient() {
    for (int status : new int[] {429, 502, 503, 504}) {
      assertThat(AzureErrors.invoke(status, "", "app1").kind())
          .as("%s", status)
          .isEqualTo(Kind.TRANSIENT);
    }
  }

  @Test
  void aHostReported500IsACrashThatCostsAnAttempt() {
    BackendException crash = AzureErrors.invoke(500, "", "app1");

    assertThat(crash.kind()).isEqualTo(Kind.CRASH);
    assertThat(crash.kind().retryable()).isTrue();
  }

  @Test
  void timeoutsAndResetsAreTransient() {
    assertThat(
            AzureErrors.unanswered(new CompletionException(new HttpTimeoutException("t")), "app1")
                .kind())
        .isEqualTo(Kind.TRANSIENT);
    assertThat(
            AzureErrors.unanswered(new java.io.IOException("Connection reset"), "app1")
                .getMessage())
        .contains("Connection reset");
  }
}
