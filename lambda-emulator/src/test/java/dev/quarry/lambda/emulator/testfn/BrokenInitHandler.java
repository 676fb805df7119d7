package dev.quarry.lambda.emulator.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;

/** A handler whose initialisation fails, so the runtime reports an init error. */
public class BrokenInitHandler implements RequestStreamHandler {

  public BrokenInitHandler() {
    throw new IllegalStateException("cannot initialise");
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) {
    throw new AssertionError("never initialised");
  }
}
