package dev.quarry.worker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Proxy;

/**
 * Resolves classes through a given loader instead of the latest user-defined loader on the stack.
 * Serializable lambdas work because their {@code SerializedLambda} names the capturing class, which
 * is resolved here and then rebuilds the lambda.
 */
public final class LoaderObjectInputStream extends ObjectInputStream {
  private final ClassLoader loader;

  public LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
    super(in);
    this.loader = loader;
  }

  @Override
  protected Class<?> resolveClass(ObjectStreamClass desc)
      throws IOException, ClassNotFoundException {
    try {
      return Class.forName(desc.getName(), false, loader);
    } catch (ClassNotFoundException e) {
      // primitives ("int", ...) are not loadable by name
      return super.resolveClass(desc);
    }
  }

  @Override
  protected Class<?> resolveProxyClass(String[] interfaces)
      throws IOException, ClassNotFoundException {
    Class<?>[] resolved = new Class<?>[interfaces.length];
    for (int i = 0; i < interfaces.length; i++) {
      resolved[i] = Class.forName(interfaces[i], false, loader);
    }
    try {
      return Proxy.newProxyInstance(loader, resolved, (proxy, method, args) -> null).getClass();
    } catch (IllegalArgumentException e) {
      throw new ClassNotFoundException(
          "cannot define proxy class for " + String.join(", ", interfaces), e);
    }
  }
}
