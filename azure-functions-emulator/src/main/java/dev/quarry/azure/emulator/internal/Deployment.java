package dev.quarry.azure.emulator.internal;

import java.util.Map;

/**
 * What a function's instances run: the package, the function, the app settings they see; compared
 * by identity so a new deployment or settings change drains older instances.
 */
record Deployment(AppPackage pkg, AppPackage.FunctionDef function, Map<String, String> settings) {

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
