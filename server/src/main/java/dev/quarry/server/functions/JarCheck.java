package dev.quarry.server.functions;

import dev.quarry.server.api.ApiException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Checks a jar before it is registered, without loading or running any of it: the archive is whole
 * (central directory present, every entry readable, every CRC right) and the entry class is a
 * well-formed class file of a version the workers run whose name is the entry class. What only
 * loading can find (a missing dependency, a failing static initializer) is reported by the worker
 * on first use.
 */
public final class JarCheck {
  private static final int MAGIC = 0xCAFEBABE;

  /** Class file versions: 45 is Java 1.1; the newest is the one of the JDK the server runs on. */
  static final int MIN_MAJOR = 45;

  static final int MAX_MAJOR = 44 + Runtime.version().feature();

  private JarCheck() {}

  /**
   * @throws ApiException INVALID_ARGUMENT saying what is wrong with the jar
   */
  public static void verify(byte[] jar, String entryClass) {
    if (jar.length == 0) {
      throw ApiException.invalid("the request body must be the function's jar");
    }
    Path file = null;
    try {
      file = Files.createTempFile("quarry-jar", ".jar");
      Files.write(file, jar);
      verify(file, entryClass);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a temp file left behind; nothing to tell the caller
        }
      }
    }
  }

  private static void verify(Path file, String entryClass) throws IOException {
    String wanted = entryClass.replace('.', '/') + ".class";
    boolean found = false;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      byte[] buf = new byte[65536];
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        CRC32 crc = new CRC32();
        try (InputStream in = zip.getInputStream(e)) {
          for (int n; (n = in.read(buf)) > 0; ) {
            crc.update(buf, 0, n);
          }
        }
        if (!e.isDirectory() && e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
          throw ApiException.invalid(
              "the jar is damaged: entry '" + clip(e.getName()) + "' fails its CRC check");
        }
        if (e.getName().equals(wanted)) {
          found = true;
          try (InputStream in = zip.getInputStream(e)) {
            requireClassFile(new DataInputStream(in), entryClass);
          }
        }
      }
    } catch (ZipException e) {
      throw ApiException.invalid("the request body is not an intact jar: " + e.getMessage());
    }
    if (!found) {
      throw ApiException.invalid("the jar has no class " + entryClass + " (" + wanted + ")");
    }
  }

  /** Reads the class file header and constant pool far enough to know its own name. */
  static void requireClassFile(DataInputStream in, String entryClass) throws IOException {
    String problem = "entry class " + entryClass + " is not a valid class file: ";
    try {
      if (in.readInt() != MAGIC) {
        throw ApiException.invalid(problem + "bad magic number");
      }
      in.readUnsignedShort();
      int major = in.readUnsignedShort();
      if (major < MIN_MAJOR || major > MAX_MAJOR) {
        throw ApiException.invalid(
            problem
                + "class file version "
                + major
                + " is not between "
                + MIN_MAJOR
                + " and "
                + MAX_MAJOR
                + " (Java "
                + (MAX_MAJOR - 44)
                + ")");
      }
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      int[] classNameIndex = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 7 -> classNameIndex[i] = in.readUnsignedShort();
          case 8, 16, 19, 20 -> in.readUnsignedShort();
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          default -> throw ApiException.invalid(problem + "unknown constant pool tag " + tag);
        }
      }
      in.readUnsignedShort();
      int thisClass = in.readUnsignedShort();
      int nameIndex = thisClass > 0 && thisClass < count ? classNameIndex[thisClass] : 0;
      String name = nameIndex > 0 && nameIndex < count ? utf8[nameIndex] : null;
      if (!entryClass.replace('.', '/').equals(name)) {
        throw ApiException.invalid(
            problem
                + "it declares class "
                + (name == null ? "nothing" : clip(name.replace('/', '.'))));
      }
    } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
      throw ApiException.invalid(problem + "it is truncated or malformed");
    }
  }

  private static String clip(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
