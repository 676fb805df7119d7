package dev.quarry.cli.testfns;

import java.util.function.Function;

/** A jar function for {@code quarry logs}: prints its input to stdout and stderr. */
public final class Chatty implements Function<Object, Object> {
  @Override
  public Object apply(Object input) {
    System.out.println("out " + input);
    System.err.println("err " + input);
    return input;
  }
}
