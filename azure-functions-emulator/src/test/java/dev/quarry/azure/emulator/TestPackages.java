package dev.quarry.azure.emulator;

import com.sun.net.httpserver.HttpServer;
import dev.quarry.azure.emulator.testfn.EchoFunction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A function app package with {@link EchoFunction}, and a plain HTTP server serving it. */
final class TestPackages implements AutoCloseable {

  private final HttpServer server;

  TestPackages() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.start();
  }

  /** Serves {@code zip} at a new path and returns its URL. */
  URI serve(String name, byte[] zip) {
    server.createContext(
        "/" + name,
        ex -> {
          ex.sendResponseHeaders(200, zip.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(zip);
          }
        });
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
  }

  static byte[] echoPackage(String timeout) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      put(
          zip,
          "host.json",
          ("{\"version\":\"2.0\",\"functionTimeout\":\"" + timeout + "\"}")
              .getBytes(StandardCharsets.UTF_8));
      put(
          zip,
          "echo/function.json",
          """
          {"scriptFile":"../echo.jar","entryPoint":"dev.quarry.azure.emulator.testfn.EchoFunction.run",
           "bindings":[{"type":"httpTrigger","direction":"in","name":"req","authLevel":"FUNCTION",
                        "methods":["POST"],"dataType":"binary"},
                       {"type":"http","direction":"out","name":"$return"}]}
          """
              .getBytes(StandardCharsets.UTF_8));
      put(zip, "echo.jar", jarOf(EchoFunction.class));
    }
    return bytes.toByteArray();
  }

  private static byte[] jarOf(Class<?> type) throws IOException {
    String entry = type.getName().replace('.', '/') + ".class";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes);
        InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
      jar.putNextEntry(new JarEntry(entry));
      in.transferTo(jar);
      jar.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(data);
    zip.closeEntry();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
