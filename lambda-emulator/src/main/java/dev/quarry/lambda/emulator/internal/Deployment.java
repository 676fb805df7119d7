package dev.quarry.lambda.emulator.internal;

/**
 * What instances run: a configuration and its code. Instances of an older deployment are retired
 * when a new one takes effect; compared by identity.
 */
record Deployment(FunctionConfig config, CodePackage code) {

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
