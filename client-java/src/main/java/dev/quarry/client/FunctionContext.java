package dev.quarry.client;

/**
 * What a {@link ContextFunction} gets besides its input while its future runs on a worker. Valid
 * only during that call: a thread the function leaves behind is refused afterwards.
 */
public interface FunctionContext {
  /** The team's stored objects, as the running future may use them. */
  ContextStorage storage();
}
