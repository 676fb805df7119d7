package dev.quarry.backend.pull;

import dev.quarry.backend.internal.pull.PullPoolImpl;

/** Creates pull pools (backend type {@value #TYPE}). */
public final class PullPools {
  /** The pools' {@link dev.quarry.backend.ComputeBackend#type() type}. */
  public static final String TYPE = "standalone";

  private PullPools() {}

  /** A pool with no workers yet; its lease reaper runs on the options' scheduler. */
  public static PullPool create(PullPoolOptions options) {
    return new PullPoolImpl(options);
  }
}
