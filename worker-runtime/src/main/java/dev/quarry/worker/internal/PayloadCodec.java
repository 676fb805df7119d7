package dev.quarry.worker.internal;

import dev.quarry.proto.v1.Codec;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Turns task input bytes into a function argument and a function result into bytes. */
public sealed interface PayloadCodec permits JavaCodec, JsonCodec {

  /**
   * @param loader resolves the classes named in the data (the function's class loader)
   * @throws IOException if the bytes are not valid for this codec
   * @throws ClassNotFoundException if the data names a class the loader cannot find
   */
  @Nullable Object decode(byte[] data, ClassLoader loader)
      throws IOException, ClassNotFoundException;

  /**
   * @throws IOException if the value cannot be encoded (e.g. not serializable)
   */
  byte[] encode(@Nullable Object value) throws IOException;

  /** The codec implementing {@code codec}. */
  static PayloadCodec of(Codec codec) {
    return switch (codec) {
      case CODEC_JAVA -> JavaCodec.INSTANCE;
      case CODEC_JSON -> JsonCodec.INSTANCE;
      case CODEC_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException("no codec for " + codec);
    };
  }
}
