package dev.quarry.lambda.emulator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/** The functions by name, ordered for listing. */
final class FunctionRegistry {

  private final ConcurrentSkipListMap<String, LambdaFunction> functions =
      new ConcurrentSkipListMap<>();

  /**
   * @throws ApiException 409 if a function of that name exists
   */
  void add(LambdaFunction fn) {
    if (functions.putIfAbsent(fn.name(), fn) != null) {
      throw ApiException.conflict("Function already exist: " + fn.name());
    }
  }

  /**
   * @throws ApiException 404 if there is none
   */
  LambdaFunction get(FunctionRef ref) {
    LambdaFunction fn = functions.get(ref.name());
    if (fn == null || !ref.isLatest()) {
      throw ApiException.notFound("Function not found: " + ref.arn());
    }
    return fn;
  }

  /**
   * @throws ApiException 404 if there is none
   */
  LambdaFunction remove(FunctionRef ref) {
    LambdaFunction fn = get(ref);
    functions.remove(ref.name(), fn);
    return fn;
  }

  /** Up to {@code max} functions whose names sort after {@code after} (empty: from the first). */
  List<LambdaFunction> page(String after, int max) {
    List<LambdaFunction> out = new ArrayList<>(Math.min(max, 64));
    var tail = after.isEmpty() ? functions : functions.tailMap(after, false);
    for (LambdaFunction fn : tail.values()) {
      if (out.size() == max) {
        break;
      }
      out.add(fn);
    }
    return out;
  }

  boolean hasAfter(String name) {
    return functions.higherKey(name) != null;
  }

  List<LambdaFunction> all() {
    return List.copyOf(functions.values());
  }

  void clear() {
    functions.clear();
  }
}
