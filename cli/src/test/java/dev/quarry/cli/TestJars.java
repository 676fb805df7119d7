package dev.quarry.cli;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Jars of the test functions in {@code dev.quarry.cli.testfns}, for {@code functions register}. */
final class TestJars {
  private TestJars() {}

  /** Writes a jar holding {@code fn}'s class file to {@code jar}. */
  static Path of(Class<?> fn, Path jar) throws Exception {
    Path classes = Path.of(fn.getProtectionDomain().getCodeSource().getLocation().toURI());
    String entry = fn.getName().replace('.', '/') + ".class";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream out = new JarOutputStream(bytes)) {
      out.putNextEntry(new JarEntry(entry));
      out.write(Files.readAllBytes(classes.resolve(entry)));
      out.closeEntry();
    }
    return Files.write(jar, bytes.toByteArray());
  }
}
