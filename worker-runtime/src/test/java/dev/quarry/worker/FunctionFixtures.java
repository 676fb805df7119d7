package dev.quarry.worker;

import com.google.protobuf.ByteString;
import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.storage.ObjectStore;
import dev.quarry.worker.samples.SampleFunctions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Builds envelopes, function specs and the samples jar for worker tests. */
public final class FunctionFixtures {
  private FunctionFixtures() {}

  public static StorageSettings fsStorage(Path root) {
    return StorageSettings.newBuilder().setType("fs").putSettings("root", root.toString()).build();
  }

  public static FunctionSpec builtin(String name) {
    return FunctionSpec.newBuilder()
        .setDigest("builtin:" + name)
        .setKind(FunctionKind.FUNCTION_KIND_BUILTIN)
        .setName(name)
        .build();
  }

  public static TaskInput jsonInput(String taskId, String json) {
    return TaskInput.newBuilder()
        .setTaskId(taskId)
        .setAttempt(1)
        .setInline(ByteString.copyFromUtf8(json))
        .setResultKey("results/" + taskId)
        .build();
  }

  public static TaskInput javaInput(String taskId, Object value) throws IOException {
    return TaskInput.newBuilder()
        .setTaskId(taskId)
        .setAttempt(1)
        .setInline(ByteString.copyFrom(javaBytes(value)))
        .setResultKey("results/" + taskId)
        .build();
  }

  public static TaskEnvelope.Builder envelope(
      Path storeRoot, FunctionSpec function, Codec codec, TaskInput... tasks) {
    return TaskEnvelope.newBuilder()
        .setInvocationId("inv-1")
        .setTenantId("t1")
        .setJobId("j1")
        .setFunction(function)
        .setCodec(codec)
        .addAllTasks(List.of(tasks))
        .setStorage(fsStorage(storeRoot));
  }

  public static byte[] javaBytes(Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  public static Object fromJavaBytes(byte[] data) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
      return in.readObject();
    }
  }

  public static String text(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }

  /**
   * Jars the {@code samples} package from the test classes, stores it under its digest and returns
   * the key.
   */
  public static String storeSamplesJar(ObjectStore store, Path work) throws IOException {
    Path jar = work.resolve("samples.jar");
    Path classes = testClassesDir();
    Path samples = classes.resolve("dev/quarry/worker/samples");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(samples)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(file));
        out.closeEntry();
      }
    }
    byte[] bytes = Files.readAllBytes(jar);
    String key = "blobs/" + sha256(bytes);
    store.put(key, bytes);
    return key;
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path testClassesDir() {
    try {
      return Path.of(
          SampleFunctions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
