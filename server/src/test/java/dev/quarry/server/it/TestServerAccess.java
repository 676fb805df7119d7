package dev.quarry.server.it;

import org.springframework.context.ConfigurableApplicationContext;

/** Lets tests in other packages reach the shared test server's beans. */
public final class TestServerAccess {
  /** Held while a test pauses the server's own dispatcher for a job. */
  public static final Object DISPATCH_LOCK = new Object();

  private TestServerAccess() {}

  public static ConfigurableApplicationContext context() throws Exception {
    return TestServer.get().context;
  }
}
