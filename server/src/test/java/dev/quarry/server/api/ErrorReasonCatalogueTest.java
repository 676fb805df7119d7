package dev.quarry.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The reason catalogue is one list in three places: the server's {@link ErrorReason}, the Java
 * client's {@code dev.quarry.client.ErrorReason}, and the README's "Errors" table.
 */
class ErrorReasonCatalogueTest {
  private static final Pattern ROW =
      Pattern.compile("^\\| `([A-Z_]+)` \\| (\\d{3}) \\| `([A-Z_]+)` \\| (`[A-Z_]+`|—) \\|.*\\|$");

  @Test
  void reasonsAreValidErrorInfoReasons() {
    // google.rpc.ErrorInfo: UPPER_SNAKE_CASE, [A-Z][A-Z0-9_]+[A-Z0-9], at most 63 characters
    assertThat(ErrorReason.values())
        .allSatisfy(
            r ->
                assertThat(r.name())
                    .matches("[A-Z][A-Z0-9_]+[A-Z0-9]")
                    .hasSizeLessThanOrEqualTo(63));
  }

  @Test
  void everyCodeHasAGenericReasonOfItsOwn() {
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(ErrorReason.of(code).code()).as(code.name()).isEqualTo(code);
      assertThat(new ApiException(code, "m").reason().code()).isEqualTo(code);
    }
  }

  @Test
  void notFoundReasonsNameWhatWasNotFound() {
    assertThat(ApiException.notFound(ErrorReason.JOB_NOT_FOUND, "x").getMessage())
        .isEqualTo("job 'x' not found");
    assertThat(ApiException.notFound(ErrorReason.FUNCTION_NOT_FOUND, "f").code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    ApiException over = ApiException.overLimit(ErrorReason.QUOTA_EXCEEDED, "maxJobsInFlight", "m");
    assertThat(over.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
    assertThat(over.metadata()).containsExactly(Map.entry("limit", "maxJobsInFlight"));
  }

  @Test
  void theJavaClientMirrorsTheCatalogue() {
    List<String> client =
        Arrays.stream(dev.quarry.client.ErrorReason.values()).map(Enum::name).toList();
    List<String> server =
        Stream.concat(Stream.of("UNKNOWN"), Arrays.stream(ErrorReason.values()).map(Enum::name))
            .toList();
    assertThat(client).containsExactlyElementsOf(server);
    assertThat(dev.quarry.client.ErrorReason.DOMAIN).isEqualTo(ErrorReason.DOMAIN);
  }

  @Test
  void theReadmeTableListsEveryReasonWithItsStatusAndCodes() throws Exception {
    Map<String, Matcher> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("../README.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.put(m.group(1), m);
      }
    }
    assertThat(rows.keySet())
        .containsExactlyElementsOf(Arrays.stream(ErrorReason.values()).map(Enum::name).toList());
    for (ErrorReason r : ErrorReason.values()) {
      Matcher row = rows.get(r.name());
      assertThat(Integer.parseInt(row.group(2))).as(r.name()).isEqualTo(r.code().httpStatus());
      assertThat(row.group(3)).as(r.name()).isEqualTo(r.code().name());
      if (!row.group(4).equals("—")) {
        assertThat(row.group(4)).as(r.name()).isEqualTo("`" + r.code().grpcCode().name() + "`");
      }
    }
  }
}
