package dev.quarry.lambda.emulator;

/**
 * Reads function code given as {@code Code.S3Bucket}/{@code Code.S3Key} in {@code CreateFunction}
 * or {@code UpdateFunctionCode}. Without one, such requests are answered with {@code 400
 * InvalidParameterValueException}.
 *
 * <pre>{@code
 * EmulatorOptions.builder()
 *     .codeFetcher((bucket, key) ->
 *         s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray())
 * }</pre>
 */
@FunctionalInterface
public interface CodeFetcher {

  /**
   * Returns the bytes of the zip stored at {@code bucket}/{@code key}.
   *
   * @throws Exception if the object cannot be read; the request is answered with {@code 400
   *     InvalidParameterValueException} naming the object
   */
  byte[] fetch(String bucket, String key) throws Exception;
}
