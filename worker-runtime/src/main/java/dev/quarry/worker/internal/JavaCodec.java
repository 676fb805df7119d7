package dev.quarry.worker.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * {@code java.io} serialization, classes resolved through the function's loader. Empty input
 * decodes to null.
 */
public final class JavaCodec implements PayloadCodec {
  static final JavaCodec INSTANCE = new JavaCodec();

  private JavaCodec() {}

  @Override
  public @Nullable Object decode(byte[] data, ClassLoader loader)
      throws IOException, ClassNotFoundException {
    if (data.length == 0) {
      return null;
    }
    try (ObjectInputStream in =
        new LoaderObjectInputStream(new ByteArrayInputStream(data), loader)) {
      return in.readObject();
    }
  }

  @Override
  public byte[] encode(@Nullable Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }
}
