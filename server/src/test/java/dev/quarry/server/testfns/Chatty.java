package dev.quarry.server.testfns;

import java.util.function.Function;

/** Prints to stdout and stderr, then answers its input; the input "quiet" prints nothing. */
public class Chatty implements Function<Object, Object> {
  @Override
  public Object apply(Object input) {
    if (!"quiet".equals(input)) {
      System.out.println("out " + input);
      System.err.println("err " + input);
    }
    return input;
  }
}
