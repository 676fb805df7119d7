package dev.quarry.lambda.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationResponse;

/** Function management through the real SDK; no function is invoked, so no JVM starts. */
class ControlPlaneTest {

  private static LambdaEmulator emu;
  private static LambdaClient lambda;
  private static final byte[] ZIP = TestFunctions.zip();

  @BeforeAll
  static void start() {
    emu =
        LambdaEmulator.start(
            LambdaClients.options()
                .stateTransitionDelay(Duration.ofMillis(300))
                .codeFetcher(
                    (bucket, key) -> {
                      if (bucket.equals("code") && key.equals("fn.zip")) {
                        return ZIP;
                      }
                      throw new IllegalArgumentException("no such key");
                    })
                .build());
    lambda = LambdaClients.client(emu);
  }

  @AfterAll
  static void stop() {
    lambda.close();
    emu.close();
  }

  private static CreateFunctionRequest.Builder createRequest(String name) {
    return CreateFunctionRequest.builder()
        .functionName(name)
        .runtime(Runtime.JAVA21)
        .role(TestFunctions.ROLE)
        .handler(TestFunctions.HANDLER)
        .code(c -> c.zipFile(SdkBytes.fromByteArray(ZIP)));
  }

  @Test
  void createdFunctionIsPendingUntilTheActiveWaiterSeesItActive() throws Exception {
    CreateFunctionResponse created =
        lambda.createFunction(createRequest("lifecycle").description("first").build());

    assertThat(created.state()).isEqualTo(State.PENDING);
    assertThat(created.functionArn())
        .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:lifecycle");
    assertThat(created.version()).isEqualTo("$LATEST");
    assertThat(created.memorySize()).isEqualTo(128);
    assertThat(created.timeout()).isEqualTo(3);
    assertThat(created.codeSize()).isEqualTo(ZIP.length);
    assertThat(created.codeSha256())
        .isEqualTo(
            Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(ZIP)));
    assertThat(created.lastModified())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
    assertThatThrownBy(() -> TestFunctions.invoke(lambda, "lifecycle", "{}"))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("Pending");

    long before = System.nanoTime();
    WaiterResponse<GetFunctionResponse> active =
        lambda.waiter().waitUntilFunctionActiveV2(r -> r.functionName("lifecycle"));

    assertThat(active.matched().response())
        .hasValueSatisfying(
            r -> {
              assertThat(r.configuration().state()).isEqualTo(State.ACTIVE);
              assertThat(r.configuration().lastUpdateStatus())
                  .isEqualTo(LastUpdateStatus.SUCCESSFUL);
              assertThat(r.code().repositoryType()).isEqualTo("S3");
            });
    assertThat(active.attemptsExecuted()).isGreaterThan(1);
    HttpResponse<byte[]> download =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(active.matched().response().orElseThrow().code().location()))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.body()).isEqualTo(ZIP);
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThan(Duration.ofMillis(200));
    assertThat(
            lambda
                .waiter()
                .waitUntilFunctionExists(r -> r.functionName("lifecycle"))
                .matched()
                .response())
        .isPresent();

    UpdateFunctionConfigurationResponse updating =
        lambda.updateFunctionConfiguration(
            r ->
                r.functionName("lifecycle")
                    .memorySize(512)
                    .environment(e -> e.variables(Map.of("A", "1"))));
    assertThat(updating.lastUpdateStatus()).isEqualTo(LastUpdateStatus.IN_PROGRESS);
    assertThat(updating.memorySize()).isEqualTo(512);
    assertThatThrownBy(
            () -> lambda.updateFunctionConfiguration(r -> r.functionName("lifecycle").timeout(10)))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("An update is in progress");

    GetFunctionResponse updated =
        lambda
            .waiter()
            .waitUntilFunctionUpdatedV2(r -> r.functionName("lifecycle"))
            .matched()
            .response()
            .orElseThrow();
    assertThat(updated.configuration().lastUpdateStatus()).isEqualTo(LastUpdateStatus.SUCCESSFUL);
    assertThat(updated.configuration().memorySize()).isEqualTo(512);
    assertThat(updated.configuration().environment().variables()).containsEntry("A", "1");
    assertThat(updated.configuration().description()).isEqualTo("first");
    assertThat(emu.function("lifecycle"))
        .hasValueSatisfying(
            f -> {
              assertThat(f.memorySizeMb()).isEqualTo(512);
              assertThat(f.state()).isEqualTo("Active");
            });

    byte[] newZip = TestFunctions.zip("v2.txt");
    var codeUpdate =
        lambda.updateFunctionCode(
            r -> r.functionName("lifecycle").zipFile(SdkBytes.fromByteArray(newZip)));
    assertThat(codeUpdate.lastUpdateStatus()).isEqualTo(LastUpdateStatus.IN_PROGRESS);
    assertThat(codeUpdate.codeSize()).isEqualTo(newZip.length);
    assertThat(codeUpdate.codeSha256()).isNotEqualTo(created.codeSha256());
    TestFunctions.fastWaiter(lambda).waitUntilFunctionUpdatedV2(r -> r.functionName("lifecycle"));
    assertThat(lambda.getFunctionConfiguration(r -> r.functionName("lifecycle")).codeSha256())
        .isEqualTo(codeUpdate.codeSha256());

    lambda.deleteFunction(r -> r.functionName("lifecycle"));
    assertThatThrownBy(() -> lambda.getFunction(r -> r.functionName("lifecycle")))
        .isInstanceOf(ResourceNotFoundException.class)
        .satisfies(e -> assertThat(((ResourceNotFoundException) e).statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> lambda.deleteFunction(r -> r.functionName("lifecycle")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void creatingAnExistingFunctionConflicts() {
    lambda.createFunction(createRequest("twice").build());
    assertThatThrownBy(() -> lambda.createFunction(createRequest("twice").build()))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("already exist");
  }

  @Test
  void listsFunctionsPageByPage() {
    IntStream.range(0, 5).forEach(i -> lambda.createFunction(createRequest("list-" + i).build()));

    ListFunctionsResponse first = lambda.listFunctions(r -> r.maxItems(2));
    assertThat(first.functions()).hasSize(2);
    assertThat(first.nextMarker()).isNotBlank();
    ListFunctionsResponse second =
        lambda.listFunctions(r -> r.maxItems(2).marker(first.nextMarker()));
    assertThat(second.functions()).hasSize(2);
    assertThat(second.functions().get(0).functionName())
        .isGreaterThan(first.functions().get(1).functionName());

    var all =
        lambda.listFunctionsPaginator(r -> r.maxItems(3)).functions().stream()
            .map(f -> f.functionName())
            .filter(n -> n.startsWith("list-"))
            .toList();
    assertThat(all).containsExactly("list-0", "list-1", "list-2", "list-3", "list-4");
  }

  @Test
  void readsCodeFromS3ThroughTheCodeFetcher() {
    var created =
        lambda.createFunction(
            createRequest("from-s3").code(c -> c.s3Bucket("code").s3Key("fn.zip")).build());
    assertThat(created.codeSize()).isEqualTo(ZIP.length);

    assertThatThrownBy(
            () ->
                lambda.createFunction(
                    createRequest("missing-s3")
                        .code(c -> c.s3Bucket("code").s3Key("nope.zip"))
                        .build()))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("s3://code/nope.zip");
  }

  @Test
  void rejectsInvalidRequests() {
    assertThatThrownBy(
            () ->
                lambda.createFunction(
                    createRequest("bad-zip")
                        .code(c -> c.zipFile(SdkBytes.fromUtf8String("not a zip")))
                        .build()))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("Could not unzip");
    assertThatThrownBy(
            () -> lambda.createFunction(createRequest("bad-memory").memorySize(64).build()))
        .isInstanceOf(InvalidParameterValueException.class);
    assertThatThrownBy(
            () ->
                lambda.createFunction(
                    createRequest("reserved")
                        .environment(e -> e.variables(Map.of("AWS_REGION", "x")))
                        .build()))
        .isInstanceOf(InvalidParameterValueException.class)
        .hasMessageContaining("AWS_REGION");
    assertThatThrownBy(() -> lambda.createFunction(createRequest("bad-role").role("admin").build()))
        .isInstanceOf(InvalidParameterValueException.class);
    assertThatThrownBy(() -> lambda.getFunction(r -> r.functionName("nope")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("arn:aws:lambda:us-east-1:000000000000:function:nope");
    assertThat(emu.functions())
        .noneMatch(f -> f.name().startsWith("bad-") || f.name().equals("reserved"));
    assertThat(emu.stats().apiCalls("CreateFunction")).isGreaterThanOrEqualTo(4);
  }
}
