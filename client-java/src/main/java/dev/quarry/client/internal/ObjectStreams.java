package dev.quarry.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Java serialization of functions, inputs and results. */
public final class ObjectStreams {
  private ObjectStreams() {}

  /**
   * Serializes one object (may be null) with {@link ObjectOutputStream}.
   *
   * @throws IOException if it (or something it references) is not serializable
   */
  public static byte[] serialize(@Nullable Object value) throws IOException {
    var bytes = new ByteArrayOutputStream(256);
    try (var out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads one object, resolving classes with the given loaders first (in order), then as {@link
   * ObjectInputStream} does by default.
   *
   * @throws IOException if the data is not a valid serialized object
   * @throws ClassNotFoundException if a class of the object is not visible to any loader
   */
  public static @Nullable Object deserialize(InputStream in, List<ClassLoader> loaders)
      throws IOException, ClassNotFoundException {
    try (var ois = new LoaderObjectInputStream(in, loaders)) {
      return ois.readObject();
    }
  }

  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final List<ClassLoader> loaders;

    LoaderObjectInputStream(InputStream in, List<ClassLoader> loaders) throws IOException {
      super(in);
      this.loaders = loaders;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      for (ClassLoader loader : loaders) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException tryNext) {
          // next loader
        }
      }
      return super.resolveClass(desc);
    }
  }
}
