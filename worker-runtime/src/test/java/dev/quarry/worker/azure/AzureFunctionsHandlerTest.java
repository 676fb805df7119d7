package dev.quarry.worker.azure;

import static dev.quarry.worker.FunctionFixtures.builtin;
import static dev.quarry.worker.FunctionFixtures.envelope;
import static dev.quarry.worker.FunctionFixtures.jsonInput;
import static dev.quarry.worker.FunctionFixtures.text;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.worker.TaskRunner;
import dev.quarry.worker.lambda.LambdaPayloads;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entry point over a runner, through the library's request and response interfaces (the
 * end-to-end run through the Functions emulator's child JVMs is in the server's Azure tests).
 */
class AzureFunctionsHandlerTest {
  @TempDir Path temp;
  Path storeRoot;
  ObjectStore store;
  TaskRunner runner;
  AzureFunctionsHandler handler;

  @BeforeEach
  void setUp() {
    storeRoot = temp.resolve("store");
    store = ObjectStores.open("fs", Map.of("root", storeRoot.toString()));
    runner = new TaskRunner("azure-test", temp.resolve("jars"), Clock.systemUTC());
    handler = new AzureFunctionsHandler(runner);
  }

  @AfterEach
  void tearDown() {
    runner.close();
    store.close();
  }

  @Test
  void runsTheEnvelopeAndAnswersItsSummaryAsJson() {
    var envelope = envelope(storeRoot, builtin("echo"), Codec.CODEC_JSON, jsonInput("a", "7"));

    HttpResponseMessage response =
        handler.run(request(LambdaPayloads.encodeRequest(envelope.build())), context());

    assertThat(response.getStatusCode()).isEqualTo(200);
    InvocationSummary summary = LambdaPayloads.decodeResponse((byte[]) response.getBody());
    assertThat(summary.getWorkerId()).isEqualTo("azure-test");
    assertThat(summary.getOutcomes(0).getOk()).isTrue();
    assertThat(text(store.read("results/a").orElseThrow())).isEqualTo("7");
  }

  @Test
  void refusesAnUnreadableRequestWith400AndRunsNothing() {
    HttpResponseMessage response = handler.run(request("{\"x\":1}".getBytes(UTF_8)), context());

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(new String((byte[]) response.getBody(), UTF_8)).contains("no field 'envelope'");
    assertThat(store.list("results/")).isEmpty();
  }

  @Test
  void isAFunctionLevelPostOnlyHttpTriggerNamedQuarryWorker() throws Exception {
    Method run =
        AzureFunctionsHandler.class.getMethod(
            "run", HttpRequestMessage.class, ExecutionContext.class);

    assertThat(run.getAnnotation(FunctionName.class).value()).isEqualTo("quarry-worker");
    HttpTrigger trigger = (HttpTrigger) run.getParameterAnnotations()[0][0];
    assertThat(trigger.authLevel()).isEqualTo(AuthorizationLevel.FUNCTION);
    assertThat(trigger.methods()).containsExactly(HttpMethod.POST);
  }

  @Test
  void namesItsWorkerAfterTheInstance() {
    assertThat(AzureFunctionsHandler.workerId(Map.of("WEBSITE_INSTANCE_ID", "abc")))
        .isEqualTo("azure-abc");
    assertThat(AzureFunctionsHandler.workerId(Map.of())).startsWith("azure-");
  }

  private static ExecutionContext context() {
    return new ExecutionContext() {
      @Override
      public Logger getLogger() {
        return Logger.getLogger("test");
      }

      @Override
      public String getInvocationId() {
        return "id-1";
      }

      @Override
      public String getFunctionName() {
        return "quarry-worker";
      }
    };
  }

  private static HttpRequestMessage<Optional<byte[]>> request(byte[] body) {
    return new HttpRequestMessage<>() {
      @Override
      public URI getUri() {
        return URI.create("https://app.azurewebsites.net/api/quarry-worker");
      }

      @Override
      public HttpMethod getHttpMethod() {
        return HttpMethod.POST;
      }

      @Override
      public Map<String, String> getHeaders() {
        return Map.of();
      }

      @Override
      public Map<String, String> getQueryParameters() {
        return Map.of();
      }

      @Override
      public Optional<byte[]> getBody() {
        return Optional.of(body);
      }

      @Override
      public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
        return createResponseBuilder((HttpStatusType) status);
      }

      @Override
      public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
        return new Response(status);
      }
    };
  }

  /** The library's response builder, as the Java worker implements it. */
  private static final class Response implements HttpResponseMessage.Builder, HttpResponseMessage {
    private HttpStatusType status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Object body;

    Response(HttpStatusType status) {
      this.status = status;
    }

    @Override
    public HttpResponseMessage.Builder status(HttpStatusType status) {
      this.status = status;
      return this;
    }

    @Override
    public HttpResponseMessage.Builder header(String key, String value) {
      headers.put(key, value);
      return this;
    }

    @Override
    public HttpResponseMessage.Builder body(Object body) {
      this.body = body;
      return this;
    }

    @Override
    public HttpResponseMessage build() {
      return this;
    }

    @Override
    public HttpStatusType getStatus() {
      return status;
    }

    @Override
    public String getHeader(String key) {
      return headers.get(key);
    }

    @Override
    public Object getBody() {
      return body;
    }
  }
}
