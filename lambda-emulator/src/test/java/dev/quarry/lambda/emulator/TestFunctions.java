package dev.quarry.lambda.emulator;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.quarry.lambda.emulator.testfn.TestHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.waiters.LambdaWaiter;

/** Deployment packages built from the compiled test function, and small invocation helpers. */
final class TestFunctions {

  static final String HANDLER = TestHandler.class.getName() + "::handleRequest";
  static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

  private TestFunctions() {}

  /**
   * {@code dev/quarry/lambda/emulator/testfn/*.class} at the root and aws-lambda-java-core in
   * {@code lib/}, Lambda's Java layout; {@code extra} entries make a different package of the same
   * code.
   */
  static byte[] zip(String... extra) {
    try {
      Path classes = location(TestHandler.class);
      String pkg = TestHandler.class.getPackageName().replace('.', '/');
      Path coreJar = location(RequestStreamHandler.class);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes);
          Stream<Path> files = Files.list(classes.resolve(pkg))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
          zip.putNextEntry(new ZipEntry(pkg + "/" + f.getFileName()));
          zip.write(Files.readAllBytes(f));
          zip.closeEntry();
        }
        zip.putNextEntry(new ZipEntry("lib/" + coreJar.getFileName()));
        zip.write(Files.readAllBytes(coreJar));
        zip.closeEntry();
        for (String name : extra) {
          zip.putNextEntry(new ZipEntry(name));
          zip.write(name.getBytes(StandardCharsets.UTF_8));
          zip.closeEntry();
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a function running the test handler and waits until it is Active. */
  static void create(
      LambdaClient lambda, String name, int timeoutSeconds, Map<String, String> env) {
    create(
        lambda,
        CreateFunctionRequest.builder()
            .functionName(name)
            .runtime(Runtime.JAVA21)
            .role(ROLE)
            .handler(HANDLER)
            .timeout(timeoutSeconds)
            .memorySize(256)
            .environment(e -> e.variables(env))
            .code(c -> c.zipFile(SdkBytes.fromByteArray(zip())))
            .build());
  }

  static void create(LambdaClient lambda, CreateFunctionRequest request) {
    lambda.createFunction(request);
    fastWaiter(lambda).waitUntilFunctionActiveV2(r -> r.functionName(request.functionName()));
  }

  /** A waiter polling every 50 ms instead of every second. */
  static LambdaWaiter fastWaiter(LambdaClient lambda) {
    return LambdaWaiter.builder()
        .client(lambda)
        .overrideConfiguration(
            o -> o.backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(50))))
        .build();
  }

  static InvokeResponse invoke(LambdaClient lambda, String function, String payload) {
    return lambda.invoke(
        r ->
            r.functionName(function)
                .logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String(payload)));
  }

  static String log(InvokeResponse response) {
    return new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
  }

  /** The {@code pid} field of a test handler answer. */
  static long pid(InvokeResponse response) {
    String s = response.payload().asUtf8String();
    int i = s.indexOf("\"pid\":");
    return Long.parseLong(s.substring(i + 6).replaceAll("\\D.*", ""));
  }

  /** Child JVMs of this test JVM that are still alive. */
  static long liveChildJvms() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .count();
  }

  private static Path location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
