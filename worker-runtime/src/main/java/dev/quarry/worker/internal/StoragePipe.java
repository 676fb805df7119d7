package dev.quarry.worker.internal;

import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A worker's storage channel to the server (the local worker pipe, a pull worker's stream), as
 * {@link ChannelObjectStore} and {@link ChannelObjects} use it.
 *
 * @param pipe sends a call (it sets the call id) and waits for its reply; throws a {@link
 *     dev.quarry.storage.StorageException} when the channel fails
 * @param invocation the invocation the calling thread runs
 * @param maxWriteBytes the largest object the channel carries in one call (it may change)
 */
public record StoragePipe(
    Function<StorageCall.Builder, StorageReply> pipe,
    Supplier<String> invocation,
    LongSupplier maxWriteBytes) {

  /** Sends {@code call} as the current invocation's and waits for its reply. */
  StorageReply send(StorageCall.Builder call) {
    return pipe.apply(call.setInvocationId(invocation.get()));
  }

  /** The largest object the channel carries in one call now. */
  long maxWrite() {
    return maxWriteBytes.getAsLong();
  }

  /** The same channel, always for {@code invocationId}. */
  StoragePipe forInvocation(String invocationId) {
    return new StoragePipe(pipe, () -> invocationId, maxWriteBytes);
  }
}
