package dev.quarry.lambda.emulator.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Cheap random identifiers (not for security): request ids, trace ids, instance ids. */
final class RequestIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  /** A random version-4 UUID string, without the cost of {@code SecureRandom}. */
  static String uuid() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    char[] c = new char[36];
    hex(hi >>> 32, c, 0, 8);
    c[8] = '-';
    hex(hi >>> 16, c, 9, 4);
    c[13] = '-';
    hex(hi, c, 14, 4);
    c[18] = '-';
    hex(lo >>> 48, c, 19, 4);
    c[23] = '-';
    hex(lo, c, 24, 12);
    return new String(c);
  }

  /** {@code digits} random lowercase hex digits. */
  static String hex(int digits) {
    char[] c = new char[digits];
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < digits; i++) {
      c[i] = HEX[r.nextInt(16)];
    }
    return new String(c);
  }

  /** An X-Ray style trace header value. */
  static String traceId() {
    return "Root=1-"
        + Long.toHexString(System.currentTimeMillis() / 1000)
        + "-"
        + hex(24)
        + ";Parent="
        + hex(16)
        + ";Sampled=0";
  }

  private static void hex(long value, char[] out, int offset, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[offset + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }
}
