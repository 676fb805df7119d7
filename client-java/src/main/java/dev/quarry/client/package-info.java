/**
 * Java client of Quarry: run a serializable function over many inputs on a Quarry server.
 *
 * <p>Start with {@link dev.quarry.client.FunctionExecutor}:
 *
 * <pre>{@code
 * try (var fexec = FunctionExecutor.connect("localhost:9090")) {
 *   JobFuture<String> f = fexec.callAsync(name -> "Hello " + name + "!", "World");
 *   System.out.println(f.get());
 *   var futures = fexec.map(x -> x * 2, List.of(1, 2, 3, 4));
 *   System.out.println(fexec.getResult(futures)); // [2, 4, 6, 8]
 * }
 * }</pre>
 *
 * <p>Types in {@code dev.quarry.client.internal} are implementation details and may change.
 */
@NullMarked
package dev.quarry.client;

import org.jspecify.annotations.NullMarked;
