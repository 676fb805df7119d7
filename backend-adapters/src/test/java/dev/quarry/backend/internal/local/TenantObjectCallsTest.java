package dev.quarry.backend.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.quarry.backend.internal.grants.InvocationGrant;
import dev.quarry.backend.local.TenantObjects;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.storage.ObjectStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context function's storage calls over the pipe: they act as the running invocation's tenant,
 * whatever the call says, and only while that invocation runs.
 */
class TenantObjectCallsTest {
  @TempDir Path temp;

  /** Objects per tenant, recording which tenant each call acted as. */
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();

  private final List<String> tenantsSeen = new ArrayList<>();
  private StorageChannel channel;

  @BeforeEach
  void open() {
    TenantObjects byTenant =
        new TenantObjects() {
          @Override
          public Read read(String tenant, String bucket, String key, long offset, int length) {
            tenantsSeen.add(tenant);
            byte[] data = objects.get(tenant + "|" + bucket + "|" + key);
            if (data == null) {
              return Read.MISSING;
            }
            int from = (int) Math.min(offset, data.length);
            int to = Math.min(data.length, from + length);
            return new Read(
                true, data.length, "\"e\"", java.util.Arrays.copyOfRange(data, from, to));
          }

          @Override
          public void write(String tenant, String bucket, String key, byte[] data) {
            tenantsSeen.add(tenant);
            if (bucket.contains("..")) {
              throw new Refused("INVALID_OBJECT_NAME", "bucket names have no '..'");
            }
            objects.put(tenant + "|" + bucket + "|" + key, data);
          }

          @Override
          public Page list(
              String tenant, String bucket, String prefix, String pageToken, int limit) {
            tenantsSeen.add(tenant);
            List<Entry> out = new ArrayList<>();
            objects.forEach(
                (k, v) -> {
                  if (k.startsWith(tenant + "|" + bucket + "|" + prefix)) {
                    out.add(new Entry(k.substring(k.lastIndexOf('|') + 1), v.length, "\"e\""));
                  }
                });
            return new Page(out, "");
          }

          @Override
          public boolean delete(String tenant, String bucket, String key) {
            tenantsSeen.add(tenant);
            return objects.remove(tenant + "|" + bucket + "|" + key) != null;
          }
        };
    channel =
        new StorageChannel(
            ObjectStores.open("fs", Map.of("root", temp.toString())), 1 << 20, byTenant);
    objects.put("a|data|secret.txt", "tenant a's secret".getBytes());
    objects.put("b|data|mine.txt", "tenant b's object".getBytes());
  }

  @Test
  void actsAsTheRunningInvocationsTenantWhateverTheCallNames() {
    PendingInvocation running = invocation("inv-b", "b");

    StorageReply mine = call(running, "inv-b", StorageCall.Op.OP_OBJECT_READ, "data", "mine.txt");
    StorageReply foreign =
        call(running, "inv-b", StorageCall.Op.OP_OBJECT_READ, "data", "secret.txt");
    StorageReply listed = call(running, "inv-b", StorageCall.Op.OP_OBJECT_LIST, "data", "");

    assertThat(mine.getData().toStringUtf8()).isEqualTo("tenant b's object");
    assertThat(foreign.getFound()).isFalse();
    assertThat(foreign.getData().isEmpty()).isTrue();
    assertThat(listed.getObjectsList()).extracting(o -> o.getKey()).containsExactly("mine.txt");
    assertThat(tenantsSeen).containsOnly("b");
  }

  @Test
  void refusesCallsOfAnInvocationThatIsNotRunning() {
    PendingInvocation next = invocation("inv-2", "b");

    for (StorageCall.Op op :
        List.of(
            StorageCall.Op.OP_OBJECT_READ,
            StorageCall.Op.OP_OBJECT_WRITE,
            StorageCall.Op.OP_OBJECT_LIST,
            StorageCall.Op.OP_OBJECT_DELETE)) {
      assertThat(call(next, "inv-1", op, "data", "mine.txt").getDenied()).as(op.name()).isTrue();
      assertThat(call(nullRunning(), "inv-1", op, "data", "mine.txt").getDenied())
          .as(op.name())
          .isTrue();
    }
    assertThat(tenantsSeen).isEmpty();
    assertThat(objects).containsKey("b|data|mine.txt");
  }

  @Test
  void passesTheStorageApisRefusalOnWithItsReason() {
    StorageReply reply =
        call(invocation("inv-b", "b"), "inv-b", StorageCall.Op.OP_OBJECT_WRITE, "..", "x");

    assertThat(reply.getReason()).isEqualTo("INVALID_OBJECT_NAME");
    assertThat(reply.getError()).contains("'..'");
    assertThat(reply.getRetryable()).isFalse();
  }

  @Test
  void refusesObjectCallsWhenTheBackendHasNoTenantObjects() {
    StorageChannel without =
        new StorageChannel(ObjectStores.open("fs", Map.of("root", temp.toString())), 1 << 20, null);
    StorageReply reply =
        without.serve(
            "w",
            invocation("inv-b", "b"),
            StorageCall.newBuilder()
                .setInvocationId("inv-b")
                .setOp(StorageCall.Op.OP_OBJECT_READ)
                .setBucket("data")
                .setKey("mine.txt")
                .setLength(100)
                .build());

    assertThat(reply.getDenied()).isTrue();
  }

  private static @org.jspecify.annotations.Nullable PendingInvocation nullRunning() {
    return null;
  }

  private StorageReply call(
      @org.jspecify.annotations.Nullable PendingInvocation running,
      String invocation,
      StorageCall.Op op,
      String bucket,
      String key) {
    return channel.serve(
        "w",
        running,
        StorageCall.newBuilder()
            .setInvocationId(invocation)
            .setOp(op)
            .setBucket(bucket)
            .setKey(key)
            .setLength(1 << 20)
            .setData(ByteString.copyFromUtf8("x"))
            .build());
  }

  private static PendingInvocation invocation(String id, String tenant) {
    TaskEnvelope envelope =
        TaskEnvelope.newBuilder().setInvocationId(id).setTenantId(tenant).build();
    return new PendingInvocation(
        envelope, new CompletableFuture<>(), 0, InvocationGrant.of(envelope));
  }
}
